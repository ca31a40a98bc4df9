#pragma once

#include "entityspecs.h"

#include <QIcon>
#include <QString>

namespace ccpm {

class AgentPresence;
class PagedTableModel;

/// The Agents view's mark for "connected to the agent hub", shown apart from the status the
/// agent reported: a filled green dot when connected, a hollow grey ring when not. The shapes
/// differ, so it reads without colour. The tooltip says "Connected to the agent hub since
/// 14:05" (local time; date too when not today) or "Not connected to the agent hub", and
/// roles::Connected holds the bool. Thread: GUI.

/// Decorates `column` of an agents model with `presence` (a row decorator: no proxy model) and
/// repaints that one cell of an agent's row when it connects or leaves. Call once per model;
/// neither is owned, and the mark goes when `presence` is destroyed.
void wireAgentPresence(PagedTableModel &model, AgentPresence &presence,
                       int column = specs::AgentColumns::Name);

/// The mark's icon, drawn once per process at 16 to 64 pixels, so it stays sharp at any device
/// pixel ratio; the same for the normal and the selected look.
QIcon presenceIcon(bool connected);

/// The mark's tooltip for this agent.
QString presenceToolTip(const AgentPresence &presence, const QString &agentId);

} // namespace ccpm
