<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ccpm</name>
    <message>
        <location filename="../ui/agentpresencedecoration.cpp" line="79"/>
        <source>Not connected to the agent hub</source>
        <translation>未连接到代理中心</translation>
    </message>
    <message>
        <location filename="../ui/agentpresencedecoration.cpp" line="84"/>
        <source>Connected to the agent hub since %1</source>
        <translation>自 %1 起已连接到代理中心</translation>
    </message>
</context>
<context>
    <name>ccpm::AgentsModel</name>
    <message>
        <source>Name</source>
        <translation type="vanished">名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="vanished">类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="vanished">状态</translation>
    </message>
    <message>
        <source>Capabilities</source>
        <translation type="vanished">能力</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation type="vanished">最后在线</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation type="vanished">更新时间</translation>
    </message>
</context>
<context>
    <name>ccpm::AppCore</name>
    <message>
        <location filename="../app/appcore.cpp" line="87"/>
        <source>embedded database (%1)</source>
        <translation>内置数据库（%1）</translation>
    </message>
</context>
<context>
    <name>ccpm::ColumnSpec</name>
    <message>
        <location filename="../models/columnspec.cpp" line="52"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../models/columnspec.cpp" line="52"/>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../models/columnspec.cpp" line="225"/>
        <location filename="../models/columnspec.cpp" line="244"/>
        <source>%1 is required.</source>
        <translation>%1 为必填项。</translation>
    </message>
    <message>
        <location filename="../models/columnspec.cpp" line="233"/>
        <source>%1 must be %2 to %3 characters long (it has %4).</source>
        <translation>%1 的长度必须为 %2 到 %3 个字符（当前为 %4 个）。</translation>
    </message>
    <message>
        <location filename="../models/columnspec.cpp" line="238"/>
        <source>%1 must be at least %2 characters long (it has %3).</source>
        <translation>%1 的长度至少为 %2 个字符（当前为 %3 个）。</translation>
    </message>
    <message>
        <location filename="../models/columnspec.cpp" line="250"/>
        <source>%1 must be a whole number.</source>
        <translation>%1 必须是整数。</translation>
    </message>
    <message>
        <location filename="../models/columnspec.cpp" line="252"/>
        <source>%1 must be between %2 and %3.</source>
        <translation>%1 必须介于 %2 和 %3 之间。</translation>
    </message>
    <message>
        <location filename="../models/columnspec.cpp" line="258"/>
        <source>%1 must be true or false.</source>
        <translation>%1 必须是 true 或 false。</translation>
    </message>
    <message>
        <location filename="../models/columnspec.cpp" line="262"/>
        <source>%1 must be one of: %2.</source>
        <translation>%1 必须是以下值之一：%2。</translation>
    </message>
    <message>
        <location filename="../models/columnspec.cpp" line="266"/>
        <source>%1 must be a date and time between the years 1 and 9999, such as 2026-11-29 18:30:00.</source>
        <translation>%1 必须是 1 年至 9999 年之间的日期和时间，例如 2026-11-29 18:30:00。</translation>
    </message>
    <message>
        <location filename="../models/columnspec.cpp" line="272"/>
        <source>%1 is empty; JSON needs a value such as {} or null.</source>
        <translation>%1 为空；JSON 需要一个值，例如 {} 或 null。</translation>
    </message>
    <message>
        <location filename="../models/columnspec.cpp" line="274"/>
        <source>%1 cannot hold the character \u0000 (PostgreSQL&apos;s jsonb refuses it).</source>
        <translation>%1 不能包含字符 \u0000（PostgreSQL 的 jsonb 不接受该字符）。</translation>
    </message>
    <message>
        <location filename="../models/columnspec.cpp" line="276"/>
        <source>%1 is not valid JSON: %2</source>
        <translation>%1 不是有效的 JSON：%2</translation>
    </message>
    <message>
        <location filename="../models/columnspec.cpp" line="279"/>
        <source>%1 must be a list.</source>
        <translation>%1 必须是列表。</translation>
    </message>
</context>
<context>
    <name>ccpm::ConflictDialog</name>
    <message>
        <location filename="../ui/conflictdialog.cpp" line="18"/>
        <source>Someone else changed this row</source>
        <translation>其他人修改了此行</translation>
    </message>
    <message>
        <location filename="../ui/conflictdialog.cpp" line="22"/>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <location filename="../ui/conflictdialog.cpp" line="22"/>
        <source>Yours</source>
        <translation>您的值</translation>
    </message>
    <message>
        <location filename="../ui/conflictdialog.cpp" line="22"/>
        <source>Saved by someone else</source>
        <translation>他人保存的值</translation>
    </message>
    <message>
        <location filename="../ui/conflictdialog.cpp" line="41"/>
        <source>Someone else deleted this row after you loaded it. Your changes to it cannot be saved.</source>
        <translation>在您加载此行之后，其他人删除了它。您对此行的更改无法保存。</translation>
    </message>
    <message>
        <location filename="../ui/conflictdialog.cpp" line="43"/>
        <source>Someone else saved this row after you loaded it. Nothing was overwritten. Which values should stay?</source>
        <translation>在您加载此行之后，其他人保存了它。没有任何内容被覆盖。要保留哪些值？</translation>
    </message>
    <message>
        <location filename="../ui/conflictdialog.cpp" line="53"/>
        <source>Keep mine</source>
        <translation>保留我的</translation>
    </message>
    <message>
        <location filename="../ui/conflictdialog.cpp" line="59"/>
        <source>Take theirs</source>
        <translation>采用他人的</translation>
    </message>
</context>
<context>
    <name>ccpm::DeleteRowCommand</name>
    <message>
        <location filename="../models/stagingcommands.cpp" line="55"/>
        <source>Delete row</source>
        <translation>删除行</translation>
    </message>
    <message>
        <location filename="../models/stagingcommands.cpp" line="56"/>
        <source>Restore row</source>
        <translation>恢复行</translation>
    </message>
</context>
<context>
    <name>ccpm::DesktopApp</name>
    <message>
        <location filename="../app/desktopapp.cpp" line="56"/>
        <source>Starting the embedded database…</source>
        <translation>正在启动内置数据库…</translation>
    </message>
    <message>
        <location filename="../app/desktopapp.cpp" line="57"/>
        <source>Connecting to the database…</source>
        <translation>正在连接数据库…</translation>
    </message>
    <message>
        <location filename="../app/desktopapp.cpp" line="59"/>
        <source>CCPM Desk</source>
        <translation>CCPM Desk</translation>
    </message>
    <message>
        <location filename="../app/desktopapp.cpp" line="66"/>
        <source>Cannot open the database</source>
        <translation>无法打开数据库</translation>
    </message>
    <message>
        <location filename="../app/desktopapp.cpp" line="104"/>
        <source>Session ended — log in again</source>
        <translation>会话已结束 — 请重新登录</translation>
    </message>
    <message>
        <location filename="../app/desktopapp.cpp" line="106"/>
        <source>Your session has ended (an administrator revoked it, or it expired). Enter your password to go on; nothing you staged is lost.</source>
        <translation>您的会话已结束（已被管理员撤销或已过期）。请输入密码以继续；您暂存的更改不会丢失。</translation>
    </message>
    <message>
        <location filename="../app/desktopapp.cpp" line="112"/>
        <source>Another user</source>
        <translation>其他用户</translation>
    </message>
    <message>
        <location filename="../app/desktopapp.cpp" line="113"/>
        <source>This window belongs to %1. Log in as %1 to go on, or quit.</source>
        <translation>此窗口属于 %1。请以 %1 的身份登录以继续，或退出。</translation>
    </message>
    <message>
        <location filename="../app/desktopapp.cpp" line="151"/>
        <source>Agent hub not started</source>
        <translation>代理中心未启动</translation>
    </message>
</context>
<context>
    <name>ccpm::InsertRowCommand</name>
    <message>
        <location filename="../models/stagingcommands.cpp" line="36"/>
        <source>Add row</source>
        <translation>添加行</translation>
    </message>
</context>
<context>
    <name>ccpm::LoginDialog</name>
    <message>
        <location filename="../ui/logindialog.cpp" line="21"/>
        <source>Log in to CCPM Desk</source>
        <translation>登录 CCPM Desk</translation>
    </message>
    <message>
        <location filename="../ui/logindialog.cpp" line="22"/>
        <source>username or e-mail</source>
        <translation>用户名或电子邮件</translation>
    </message>
    <message>
        <location filename="../ui/logindialog.cpp" line="31"/>
        <source>Database: %1</source>
        <translation>数据库：%1</translation>
    </message>
    <message>
        <location filename="../ui/logindialog.cpp" line="35"/>
        <source>&amp;Username:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <location filename="../ui/logindialog.cpp" line="36"/>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../ui/logindialog.cpp" line="39"/>
        <location filename="../ui/logindialog.cpp" line="64"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../ui/logindialog.cpp" line="64"/>
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
    <message>
        <location filename="../ui/logindialog.cpp" line="78"/>
        <source>Enter a username and a password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <location filename="../ui/logindialog.cpp" line="91"/>
        <source>Too many failed attempts for this username: try again in a minute.</source>
        <translation>此用户名的失败尝试次数过多：请一分钟后重试。</translation>
    </message>
    <message>
        <location filename="../ui/logindialog.cpp" line="92"/>
        <source>Invalid username or password</source>
        <translation>用户名或密码无效</translation>
    </message>
</context>
<context>
    <name>ccpm::MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="28"/>
        <source>CCPM Desk — %1 @ %2</source>
        <translation>CCPM Desk — %1 @ %2</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="32"/>
        <source>&amp;Users</source>
        <translation>用户(&amp;U)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="33"/>
        <source>&amp;Agents</source>
        <translation>代理(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="34"/>
        <source>&amp;Tasks</source>
        <translation>任务(&amp;T)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="35"/>
        <source>&amp;Messages</source>
        <translation>消息(&amp;M)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="36"/>
        <source>&amp;Sessions</source>
        <translation>会话(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="65"/>
        <source>Nothing was saved</source>
        <translation>未保存任何内容</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="77"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="78"/>
        <source>&amp;Save changes</source>
        <translation>保存更改(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="79"/>
        <source>&amp;Discard changes</source>
        <translation>放弃更改(&amp;D)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="84"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="86"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="87"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="89"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="94"/>
        <source>&amp;Add row</source>
        <translation>添加行(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="95"/>
        <source>&amp;Delete rows</source>
        <translation>删除行(&amp;D)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="101"/>
        <source>Resolve &amp;conflict…</source>
        <translation>解决冲突(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="105"/>
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="110"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="111"/>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="111"/>
        <source>Agents</source>
        <translation>代理</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="111"/>
        <source>Tasks</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="111"/>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="111"/>
        <source>Sessions</source>
        <translation>会话</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="117"/>
        <source>&amp;Reload</source>
        <translation>重新加载(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="164"/>
        <source>Rows cannot be added here: use the dialog for this table.</source>
        <translation>无法在此处添加行：请使用此表的对话框。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="183"/>
        <source>Delete a row</source>
        <translation>删除一行</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="184"/>
        <source>Delete %1 rows</source>
        <translation>删除 %1 行</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="190"/>
        <source>Some rows cannot be deleted here.</source>
        <translation>部分行无法在此处删除。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="196"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="227"/>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="228"/>
        <source>These tables have changes that are not saved: %1.
Quit and lose them?</source>
        <translation>以下表中有未保存的更改：%1。
是否退出并放弃这些更改？</translation>
    </message>
</context>
<context>
    <name>ccpm::MessagesModel</name>
    <message>
        <source>(everyone)</source>
        <translation type="vanished">（所有人）</translation>
    </message>
    <message>
        <source>Content</source>
        <translation type="vanished">内容</translation>
    </message>
    <message>
        <source>Sender</source>
        <translation type="vanished">发送者</translation>
    </message>
    <message>
        <source>Receiver</source>
        <translation type="vanished">接收者</translation>
    </message>
    <message>
        <source>Task</source>
        <translation type="vanished">任务</translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation type="vanished">元数据</translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="vanished">创建时间</translation>
    </message>
</context>
<context>
    <name>ccpm::PagedTableModel</name>
    <message>
        <location filename="../models/pagedtablemodel.cpp" line="202"/>
        <source>1 row</source>
        <translation>1 行</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodel.cpp" line="202"/>
        <source>%1 rows</source>
        <translation>%1 行</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodel.cpp" line="203"/>
        <source>about %1 rows</source>
        <translation>约 %1 行</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="14"/>
        <source>Row %1</source>
        <translation>第 %1 行</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="15"/>
        <source>A row that is not shown now (clear the search and filters to see it)</source>
        <translation>当前未显示的行（清除搜索和筛选条件后即可看到）</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="88"/>
        <source>Someone else deleted this row.</source>
        <translation>其他人删除了此行。</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="89"/>
        <source>Someone else saved: %1</source>
        <translation>其他人保存的值：%1</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="204"/>
        <source>Add a row</source>
        <translation>添加一行</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="204"/>
        <source>Add %1 rows</source>
        <translation>添加 %1 行</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="231"/>
        <source>Delete a row</source>
        <translation>删除一行</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="231"/>
        <source>Delete %1 rows</source>
        <translation>删除 %1 行</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="346"/>
        <source>Nothing to save.</source>
        <translation>没有需要保存的内容。</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="352"/>
        <location filename="../models/pagedtablemodeledits.cpp" line="396"/>
        <source>Nothing was saved. %1: %2</source>
        <translation>未保存任何内容。%1：%2</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="354"/>
        <source>(%1 values to fix in all.)</source>
        <translation>（共有 %1 个值需要修正。）</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="371"/>
        <source>Nothing was saved: %1</source>
        <translation>未保存任何内容：%1</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="381"/>
        <source>Nothing was saved. %1: %2 Choose “Keep mine” or “Take theirs” for it.</source>
        <translation>未保存任何内容。%1：%2 请为其选择“保留我的”或“采用他人的”。</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="430"/>
        <source>Saved 1 change.</source>
        <translation>已保存 1 项更改。</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="430"/>
        <source>Saved %1 changes.</source>
        <translation>已保存 %1 项更改。</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="479"/>
        <source>Take their values</source>
        <translation>采用他人的值</translation>
    </message>
</context>
<context>
    <name>ccpm::SetCellCommand</name>
    <message>
        <location filename="../models/stagingcommands.cpp" line="20"/>
        <source>Edit %1</source>
        <translation>编辑 %1</translation>
    </message>
</context>
<context>
    <name>ccpm::StatusBar</name>
    <message>
        <location filename="../ui/statusbar.cpp" line="18"/>
        <source>Database: %1</source>
        <translation>数据库：%1</translation>
    </message>
    <message>
        <location filename="../ui/statusbar.cpp" line="20"/>
        <source>Server: …</source>
        <translation>服务器：…</translation>
    </message>
    <message>
        <location filename="../ui/statusbar.cpp" line="21"/>
        <source>Round trip: …</source>
        <translation>往返：…</translation>
    </message>
    <message>
        <location filename="../ui/statusbar.cpp" line="22"/>
        <location filename="../ui/statusbar.cpp" line="66"/>
        <source>Hub: off</source>
        <translation>代理中心：关闭</translation>
    </message>
    <message>
        <location filename="../ui/statusbar.cpp" line="31"/>
        <source>Server: unreachable</source>
        <translation>服务器：无法访问</translation>
    </message>
    <message>
        <location filename="../ui/statusbar.cpp" line="48"/>
        <source>Round trip: %1 ms</source>
        <translation>往返：%1 毫秒</translation>
    </message>
    <message>
        <location filename="../ui/statusbar.cpp" line="51"/>
        <source>Database unreachable</source>
        <translation>数据库无法访问</translation>
    </message>
    <message>
        <location filename="../ui/statusbar.cpp" line="60"/>
        <source>1 agent connected</source>
        <translation>1 个代理已连接</translation>
    </message>
    <message>
        <location filename="../ui/statusbar.cpp" line="60"/>
        <source>%1 agents connected</source>
        <translation>%1 个代理已连接</translation>
    </message>
    <message>
        <location filename="../ui/statusbar.cpp" line="61"/>
        <source>Hub: %1 · %2</source>
        <translation>代理中心：%1 · %2</translation>
    </message>
</context>
<context>
    <name>ccpm::TablePage</name>
    <message>
        <location filename="../ui/tablepage.cpp" line="27"/>
        <source>Search text columns (Ctrl+F)</source>
        <translation>搜索文本列（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../ui/tablepage.cpp" line="102"/>
        <source>Only %1 = “%2”</source>
        <translation>仅 %1 = “%2”</translation>
    </message>
    <message>
        <location filename="../ui/tablepage.cpp" line="107"/>
        <source>Only rows where %1 is empty</source>
        <translation>仅显示 %1 为空的行</translation>
    </message>
    <message>
        <location filename="../ui/tablepage.cpp" line="110"/>
        <source>Only rows where %1 is set</source>
        <translation>仅显示 %1 有值的行</translation>
    </message>
    <message>
        <location filename="../ui/tablepage.cpp" line="115"/>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <location filename="../ui/tablepage.cpp" line="135"/>
        <source>%1 + %2 new</source>
        <translation>%1 + 新增 %2 行</translation>
    </message>
    <message>
        <location filename="../ui/tablepage.cpp" line="137"/>
        <source>%1, filtered</source>
        <translation>%1，已筛选</translation>
    </message>
    <message>
        <location filename="../ui/tablepage.cpp" line="138"/>
        <source>%1, %2 filters</source>
        <translation>%1，%2 个筛选条件</translation>
    </message>
    <message>
        <location filename="../ui/tablepage.cpp" line="140"/>
        <source>%1 · unsaved changes (Ctrl+S saves)</source>
        <translation>%1 · 有未保存的更改（按 Ctrl+S 保存）</translation>
    </message>
</context>
<context>
    <name>ccpm::TasksModel</name>
    <message>
        <source>Title</source>
        <translation type="vanished">标题</translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="vanished">状态</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation type="vanished">优先级</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation type="vanished">负责代理</translation>
    </message>
    <message>
        <source>Created by</source>
        <translation type="vanished">创建者</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation type="vanished">进度</translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="vanished">创建时间</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation type="vanished">已完成</translation>
    </message>
</context>
<context>
    <name>ccpm::UsersModel</name>
    <message>
        <source>Username</source>
        <translation type="vanished">用户名</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation type="vanished">电子邮件</translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="vanished">角色</translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="vanished">创建时间</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation type="vanished">更新时间</translation>
    </message>
</context>
<context>
    <name>ccpm::display</name>
    <message>
        <location filename="../models/displayformat.cpp" line="21"/>
        <location filename="../models/displayformat.cpp" line="86"/>
        <location filename="../models/displayformat.cpp" line="91"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="23"/>
        <source>Admin</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="32"/>
        <source>AI</source>
        <translation>AI</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="34"/>
        <source>Human</source>
        <translation>人工</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="36"/>
        <source>Bot</source>
        <translation>机器人</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="45"/>
        <source>Active</source>
        <translation>活跃</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="47"/>
        <source>Inactive</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="49"/>
        <source>Busy</source>
        <translation>忙碌</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="58"/>
        <source>Pending</source>
        <translation>待处理</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="60"/>
        <source>Assigned</source>
        <translation>已分配</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="62"/>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="64"/>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="66"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="75"/>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="77"/>
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="79"/>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="86"/>
        <location filename="../models/displayformat.cpp" line="91"/>
        <source>Agent</source>
        <translation>代理</translation>
    </message>
</context>
<context>
    <name>ccpm::specs</name>
    <message>
        <location filename="../models/entityspecs.cpp" line="84"/>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="86"/>
        <source>Email</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="88"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="89"/>
        <location filename="../models/entityspecs.cpp" line="112"/>
        <location filename="../models/entityspecs.cpp" line="148"/>
        <location filename="../models/entityspecs.cpp" line="174"/>
        <location filename="../models/entityspecs.cpp" line="191"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="90"/>
        <location filename="../models/entityspecs.cpp" line="113"/>
        <location filename="../models/entityspecs.cpp" line="149"/>
        <location filename="../models/entityspecs.cpp" line="175"/>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="99"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="101"/>
        <source>Capabilities</source>
        <translation>能力</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="107"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="108"/>
        <location filename="../models/entityspecs.cpp" line="140"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="110"/>
        <location filename="../models/entityspecs.cpp" line="147"/>
        <location filename="../models/entityspecs.cpp" line="173"/>
        <source>Metadata</source>
        <translation>元数据</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="111"/>
        <source>Last seen</source>
        <translation>最后在线</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="124"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="127"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="130"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="141"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="142"/>
        <source>Assignee</source>
        <translation>负责代理</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="144"/>
        <source>Created by</source>
        <translation>创建者</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="150"/>
        <source>Completed</source>
        <translation>完成时间</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="162"/>
        <source>Content</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="167"/>
        <source>Sender type</source>
        <translation>发送者类型</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="168"/>
        <source>Sender</source>
        <translation>发送者</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="169"/>
        <source>Receiver type</source>
        <translation>接收者类型</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="170"/>
        <source>Receiver</source>
        <translation>接收者</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="171"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="188"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="190"/>
        <source>Expires</source>
        <translation>过期时间</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/main.cpp" line="43"/>
        <source>CCPM Desk: the desktop control centre for the ccpm multi-agent collaboration database.

Commands (without one, the window opens):
  db status                     list applied and pending migrations
  db migrate                    apply pending migrations
  db seed --demo                write the demo data into an empty database
  db seed --scale N             add N synthetic tasks (N/1000 agents, 5N messages)
  db connect &lt;url&gt;|--embedded   save the database to use from now on
  agent token create &lt;agent&gt;    print a new access token for an agent (name or id)
  hub                           run the agent hub without a window</source>
        <translation>CCPM Desk：ccpm 多代理协作数据库的桌面控制中心。

命令（不带命令时打开窗口）：
  db status                     列出已应用和待应用的迁移
  db migrate                    应用待应用的迁移
  db seed --demo                将演示数据写入空数据库
  db seed --scale N             添加 N 个合成任务（N/1000 个代理，5N 条消息）
  db connect &lt;url&gt;|--embedded   保存今后要使用的数据库
  agent token create &lt;agent&gt;    为代理输出新的访问令牌（名称或 ID）
  hub                           不打开窗口，仅运行代理中心</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="57"/>
        <source>PostgreSQL URL (postgresql://user:password@host:5432/ccpm?schema=public). Default: DATABASE_URL, the saved setting, the embedded database.</source>
        <translation>PostgreSQL URL（postgresql://user:password@host:5432/ccpm?schema=public）。默认依次使用：DATABASE_URL、已保存的设置、内置数据库。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="63"/>
        <source>Agent hub port (default 8765, 0 turns it off).</source>
        <translation>代理中心端口（默认 8765，0 表示关闭）。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="67"/>
        <source>Agent hub address (default 127.0.0.1).</source>
        <translation>代理中心地址（默认 127.0.0.1）。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="71"/>
        <source>PEM certificate (chain) for wss:// agent connections.</source>
        <translation>用于 wss:// 代理连接的 PEM 证书（链）。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="75"/>
        <source>PEM private key of --hub-tls-cert.</source>
        <translation>--hub-tls-cert 对应的 PEM 私钥。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="78"/>
        <source>Allow plain ws:// on a non-loopback --hub-address (tokens cross the network unencrypted).</source>
        <translation>允许在非回环的 --hub-address 上使用明文 ws://（令牌将以未加密形式在网络中传输）。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="81"/>
        <source>With &apos;db seed&apos;: the demo data.</source>
        <translation>与 &apos;db seed&apos; 配合使用：写入演示数据。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="83"/>
        <source>With &apos;db seed&apos;: N synthetic tasks, N/1000 agents and 5N messages.</source>
        <translation>与 &apos;db seed&apos; 配合使用：N 个合成任务、N/1000 个代理和 5N 条消息。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="89"/>
        <source>With &apos;db connect&apos;: use the embedded database.</source>
        <translation>与 &apos;db connect&apos; 配合使用：使用内置数据库。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="92"/>
        <source>With &apos;agent token create&apos;: a label for the token.</source>
        <translation>与 &apos;agent token create&apos; 配合使用：令牌的标签。</translation>
    </message>
</context>
</TS>
