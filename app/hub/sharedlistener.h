#pragma once

#include "result.h"

#include <QHostAddress>

namespace ccpm::hub {

/// The error of a listener that cannot be bound: Error::Kind::Environment, naming the address,
/// the port and `reason`, with the hint to choose another port.
Error cannotListen(const QHostAddress &address, quint16 port, const QString &reason);

/// Opens a listening TCP socket on `address`:`port` with SO_REUSEPORT (Linux socket(7)), so that
/// each of the hub's threads can listen on the same port with a socket of its own and the kernel
/// spreads new connections over them (by a hash of the peer's address and port). Port 0 picks a
/// free port; the other threads then pass the port the first one got. Only sockets of the same
/// user can join the group, so another user's program cannot take the hub's connections.
/// QHostAddress::Any listens on IPv6 and IPv4 (dual stack), as QTcpServer does.
///
/// Returns the descriptor for QTcpServer::setSocketDescriptor(), which then owns it.
/// Errors: Error::Kind::Environment with the system's message when the socket cannot be bound
/// (the port is taken by a socket without SO_REUSEPORT, no permission, …). Any thread.
Result<qintptr> openSharedListener(const QHostAddress &address, quint16 port, int backlog);

} // namespace ccpm::hub
