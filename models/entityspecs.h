#pragma once

#include "tablespec.h"

namespace ccpm {

/// The five tables of the backend's schema (db/migrations/0001, 0002) as the views show and
/// edit them, with the backend's rules: task title 2 to 100 characters, description 10 to 1000
/// (seed-backend.md), progress 0 to 100 (migration 0002's check). Secrets (users.password,
/// sessions.token) are not columns here, so no view can show them. Headers are translated.
namespace specs {

struct UserColumns {
    enum : int { Username, Email, Role, Created, Updated };
};
struct AgentColumns {
    enum : int { Name, Type, Status, Capabilities, Metadata, LastSeen, Created, Updated };
};
struct TaskColumns {
    enum : int {
        Title,
        Description,
        Status,
        Priority,
        Assignee,
        CreatedBy,
        Progress,
        Metadata,
        Created,
        Updated,
        Completed
    };
};
struct MessageColumns {
    enum : int { Content, SenderType, Sender, ReceiverType, Receiver, Task, Metadata, Created, Updated };
};
struct SessionColumns {
    enum : int { User, Expires, Created };
};

TableSpec users();
TableSpec agents();
TableSpec tasks();
TableSpec messages();
TableSpec sessions();

} // namespace specs
} // namespace ccpm
