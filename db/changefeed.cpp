#include "changefeed.h"

namespace {
// Queued connections across threads need the argument type registered.
const int s_opMetaType = qRegisterMetaType<ccpm::ChangeFeed::Op>("ccpm::ChangeFeed::Op");
} // namespace
