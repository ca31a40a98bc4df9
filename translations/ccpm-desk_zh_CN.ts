<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ccpm::AgentsModel</name>
    <message>
        <location filename="../models/agentsmodel.cpp" line="14"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../models/agentsmodel.cpp" line="19"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../models/agentsmodel.cpp" line="25"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../models/agentsmodel.cpp" line="41"/>
        <source>Capabilities</source>
        <translation>能力</translation>
    </message>
    <message>
        <location filename="../models/agentsmodel.cpp" line="49"/>
        <source>Last seen</source>
        <translation>最后在线</translation>
    </message>
    <message>
        <location filename="../models/agentsmodel.cpp" line="51"/>
        <source>Updated</source>
        <translation>更新时间</translation>
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
    <name>ccpm::DesktopApp</name>
    <message>
        <location filename="../app/desktopapp.cpp" line="46"/>
        <source>Starting the embedded database…</source>
        <translation>正在启动内置数据库…</translation>
    </message>
    <message>
        <location filename="../app/desktopapp.cpp" line="47"/>
        <source>Connecting to the database…</source>
        <translation>正在连接数据库…</translation>
    </message>
    <message>
        <location filename="../app/desktopapp.cpp" line="49"/>
        <source>CCPM Desk</source>
        <translation>CCPM Desk</translation>
    </message>
    <message>
        <location filename="../app/desktopapp.cpp" line="56"/>
        <source>Cannot open the database</source>
        <translation>无法打开数据库</translation>
    </message>
    <message>
        <location filename="../app/desktopapp.cpp" line="80"/>
        <source>Agent hub not started</source>
        <translation>代理中心未启动</translation>
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
        <location filename="../ui/logindialog.cpp" line="70"/>
        <source>Enter a username and a password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <location filename="../ui/logindialog.cpp" line="81"/>
        <source>Invalid username or password</source>
        <translation>用户名或密码无效</translation>
    </message>
</context>
<context>
    <name>ccpm::MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="24"/>
        <source>CCPM Desk — %1 @ %2</source>
        <translation>CCPM Desk — %1 @ %2</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="28"/>
        <source>&amp;Users</source>
        <translation>用户(&amp;U)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="29"/>
        <source>&amp;Agents</source>
        <translation>代理(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="30"/>
        <source>&amp;Tasks</source>
        <translation>任务(&amp;T)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="31"/>
        <source>&amp;Messages</source>
        <translation>消息(&amp;M)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="33"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="34"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="35"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="36"/>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="36"/>
        <source>Agents</source>
        <translation>代理</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="36"/>
        <source>Tasks</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="36"/>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="42"/>
        <source>&amp;Reload</source>
        <translation>重新加载(&amp;R)</translation>
    </message>
</context>
<context>
    <name>ccpm::MessagesModel</name>
    <message>
        <location filename="../models/messagesmodel.cpp" line="15"/>
        <source>(everyone)</source>
        <translation>（所有人）</translation>
    </message>
    <message>
        <location filename="../models/messagesmodel.cpp" line="33"/>
        <source>Content</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../models/messagesmodel.cpp" line="40"/>
        <source>Sender</source>
        <translation>发送者</translation>
    </message>
    <message>
        <location filename="../models/messagesmodel.cpp" line="42"/>
        <source>Receiver</source>
        <translation>接收者</translation>
    </message>
    <message>
        <location filename="../models/messagesmodel.cpp" line="46"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../models/messagesmodel.cpp" line="52"/>
        <source>Metadata</source>
        <translation>元数据</translation>
    </message>
    <message>
        <location filename="../models/messagesmodel.cpp" line="59"/>
        <source>Created</source>
        <translation>创建时间</translation>
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
    <name>ccpm::TasksModel</name>
    <message>
        <location filename="../models/tasksmodel.cpp" line="29"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../models/tasksmodel.cpp" line="37"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../models/tasksmodel.cpp" line="43"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../models/tasksmodel.cpp" line="49"/>
        <source>Assignee</source>
        <translation>负责代理</translation>
    </message>
    <message>
        <location filename="../models/tasksmodel.cpp" line="51"/>
        <source>Created by</source>
        <translation>创建者</translation>
    </message>
    <message>
        <location filename="../models/tasksmodel.cpp" line="53"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location filename="../models/tasksmodel.cpp" line="61"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../models/tasksmodel.cpp" line="62"/>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
</context>
<context>
    <name>ccpm::UsersModel</name>
    <message>
        <location filename="../models/usersmodel.cpp" line="21"/>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../models/usersmodel.cpp" line="22"/>
        <source>E-mail</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <location filename="../models/usersmodel.cpp" line="23"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../models/usersmodel.cpp" line="29"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../models/usersmodel.cpp" line="30"/>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
</context>
<context>
    <name>ccpm::display</name>
    <message>
        <location filename="../models/displayformat.cpp" line="20"/>
        <location filename="../models/displayformat.cpp" line="85"/>
        <location filename="../models/displayformat.cpp" line="90"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="22"/>
        <source>Admin</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="31"/>
        <source>AI</source>
        <translation>AI</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="33"/>
        <source>Human</source>
        <translation>人工</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="35"/>
        <source>Bot</source>
        <translation>机器人</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="44"/>
        <source>Active</source>
        <translation>活跃</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="46"/>
        <source>Inactive</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="48"/>
        <source>Busy</source>
        <translation>忙碌</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="57"/>
        <source>Pending</source>
        <translation>待处理</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="59"/>
        <source>Assigned</source>
        <translation>已分配</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="61"/>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="63"/>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="65"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="74"/>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="76"/>
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="78"/>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../models/displayformat.cpp" line="85"/>
        <location filename="../models/displayformat.cpp" line="90"/>
        <source>Agent</source>
        <translation>代理</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/main.cpp" line="41"/>
        <source>CCPM Desk: the desktop control centre for the ccpm multi-agent collaboration database.

Commands (without one, the window opens):
  db status                     list applied and pending migrations
  db migrate                    apply pending migrations
  db seed --demo                write the demo data into an empty database
  db connect &lt;url&gt;|--embedded   save the database to use from now on
  agent token create &lt;agent&gt;    print a new access token for an agent (name or id)
  hub                           run the agent hub without a window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="54"/>
        <source>PostgreSQL URL (postgresql://user:password@host:5432/ccpm?schema=public). Default: DATABASE_URL, the saved setting, the embedded database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="60"/>
        <source>Agent hub port (default 8765, 0 turns it off).</source>
        <translation>代理中心端口（默认 8765，0 表示关闭）。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="64"/>
        <source>Agent hub address (default 127.0.0.1).</source>
        <translation>代理中心地址（默认 127.0.0.1）。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="67"/>
        <source>With &apos;db seed&apos;: the demo data.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="70"/>
        <source>With &apos;db connect&apos;: use the embedded database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="73"/>
        <source>With &apos;agent token create&apos;: a label for the token.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
