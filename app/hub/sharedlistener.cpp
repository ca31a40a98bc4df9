#include "hub/sharedlistener.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ccpm::hub {

namespace {

Error failed(const QHostAddress &address, quint16 port, const char *step, int error)
{
    return cannotListen(address, port,
                        QStringLiteral("%1 failed: %2")
                            .arg(QLatin1String(step), QString::fromLocal8Bit(std::strerror(error))));
}

} // namespace

Error cannotListen(const QHostAddress &address, quint16 port, const QString &reason)
{
    return Error{Error::Kind::Environment,
                 QStringLiteral("The agent hub cannot listen on %1:%2: %3")
                     .arg(address.toString(), QString::number(port), reason),
                 QStringLiteral("Choose another port with --hub-port, or 0 to turn the hub off."),
                 {}};
}

Result<qintptr> openSharedListener(const QHostAddress &address, quint16 port, int backlog)
{
    sockaddr_storage storage{};
    socklen_t length = 0;
    const bool dualStack = address == QHostAddress(QHostAddress::Any);
    int v6only = 1;
    if (address.protocol() == QAbstractSocket::IPv4Protocol) {
        auto *in = reinterpret_cast<sockaddr_in *>(&storage);
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        in->sin_addr.s_addr = htonl(address.toIPv4Address());
        length = sizeof(sockaddr_in);
    } else {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        const Q_IPV6ADDR bytes = dualStack ? Q_IPV6ADDR{} : address.toIPv6Address();
        std::memcpy(&in6->sin6_addr, bytes.c, sizeof(bytes.c));
        if (const QString scope = address.scopeId(); !scope.isEmpty()) {
            bool numeric = false;
            const uint index = scope.toUInt(&numeric);
            in6->sin6_scope_id = numeric ? index : if_nametoindex(scope.toLocal8Bit().constData());
        }
        length = sizeof(sockaddr_in6);
        v6only = dualStack ? 0 : 1;
    }
    const int fd = ::socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return failed(address, port, "socket()", errno);
    const int on = 1;
    const auto fail = [&](const char *step) {
        const int error = errno;
        ::close(fd);
        return failed(address, port, step, error);
    };
    if (::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0)
        return fail("SO_REUSEADDR");
    if (::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0)
        return fail("SO_REUSEPORT");
    if (storage.ss_family == AF_INET6 &&
        ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only) != 0)
        return fail("IPV6_V6ONLY");
    if (::bind(fd, reinterpret_cast<const sockaddr *>(&storage), length) != 0)
        return fail("bind()");
    if (::listen(fd, backlog) != 0)
        return fail("listen()");
    return qintptr(fd);
}

} // namespace ccpm::hub
