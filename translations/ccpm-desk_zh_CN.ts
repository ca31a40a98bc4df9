<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ccpm</name>
    <message>
        <location filename="../ui/agentpresencedecoration.cpp" line="80"/>
        <source>Not connected to the agent hub</source>
        <translation>未连接到代理中心</translation>
    </message>
    <message>
        <location filename="../ui/agentpresencedecoration.cpp" line="85"/>
        <source>Connected to the agent hub since %1</source>
        <translation>自 %1 起已连接到代理中心</translation>
    </message>
    <message>
        <location filename="../models/columnspec.cpp" line="169"/>
        <source>1 byte</source>
        <translation>1 字节</translation>
    </message>
    <message>
        <location filename="../models/columnspec.cpp" line="170"/>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <location filename="../models/studiospec.cpp" line="85"/>
        <source>%1 is a view: its rows are shown, but they cannot be changed here.</source>
        <translation>%1 是视图：可以查看其中的行，但不能在此处修改。</translation>
    </message>
    <message>
        <location filename="../models/studiospec.cpp" line="87"/>
        <source>%1 is a materialized view: its rows are shown, but they cannot be changed here.</source>
        <translation>%1 是物化视图：可以查看其中的行，但不能在此处修改。</translation>
    </message>
    <message>
        <location filename="../models/studiospec.cpp" line="90"/>
        <source>%1 has no primary key, so its rows cannot be told apart to change them: it is shown read-only.</source>
        <translation>%1 没有主键，无法区分各行以进行修改：以只读方式显示。</translation>
    </message>
</context>
<context>
    <name>ccpm::AdminActions</name>
    <message>
        <location filename="../ui/adminactions.cpp" line="30"/>
        <source>Adm&amp;in</source>
        <translation>管理(&amp;I)</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="33"/>
        <source>&amp;New user…</source>
        <translation>新建用户(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="34"/>
        <source>&amp;Edit user…</source>
        <translation>编辑用户(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="35"/>
        <source>&amp;Reset password…</source>
        <translation>重置密码(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="37"/>
        <source>&amp;Delete user…</source>
        <translation>删除用户(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="39"/>
        <source>New &amp;agent…</source>
        <translation>新建代理(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="40"/>
        <source>Edit a&amp;gent…</source>
        <translation>编辑代理(&amp;G)…</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="41"/>
        <source>Agent &amp;tokens…</source>
        <translation>代理令牌(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="42"/>
        <source>De&amp;lete agent…</source>
        <translation>删除代理(&amp;L)…</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="44"/>
        <source>Re&amp;voke session…</source>
        <translation>撤销会话(&amp;V)…</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="67"/>
        <source>1 task</source>
        <translation>1 个任务</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="67"/>
        <source>%1 tasks</source>
        <translation>%1 个任务</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="68"/>
        <source>1 session</source>
        <translation>1 个会话</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="68"/>
        <source>%1 sessions</source>
        <translation>%1 个会话</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="69"/>
        <source>Delete the user %1? This also deletes %2 and %3.</source>
        <translation>删除用户 %1？这也会删除 %2 和 %3。</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="73"/>
        <source>The message of those tasks goes with them.</source>
        <translation>这些任务的消息也会一并删除。</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="74"/>
        <source>The %1 messages of those tasks go with them.</source>
        <translation>这些任务的 %1 条消息也会一并删除。</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="107"/>
        <source>Not done</source>
        <translation>未完成</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="119"/>
        <source>Password set; the user&apos;s sessions have ended.</source>
        <translation>密码已设置；该用户的会话已结束。</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="120"/>
        <source>User %1 saved.</source>
        <translation>用户 %1 已保存。</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="162"/>
        <source>Delete user</source>
        <translation>删除用户</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="167"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="173"/>
        <source>User %1 deleted.</source>
        <translation>用户 %1 已删除。</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="185"/>
        <source>Agent %1 created.</source>
        <translation>代理 %1 已创建。</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="199"/>
        <source>Agent %1 saved.</source>
        <translation>代理 %1 已保存。</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="224"/>
        <source>Delete agent</source>
        <translation>删除代理</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="225"/>
        <source>Delete the agent %1? Its tokens are deleted and its tasks become unassigned.</source>
        <translation>删除代理 %1？其令牌将被删除，其任务将变为未分配。</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="232"/>
        <source>Agent %1 deleted.</source>
        <translation>代理 %1 已删除。</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="245"/>
        <source>Revoke session</source>
        <translation>撤销会话</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="246"/>
        <source>End this session of %1? Their desk asks for the password again.</source>
        <translation>结束 %1 的这个会话？其桌面端将再次要求输入密码。</translation>
    </message>
    <message>
        <location filename="../ui/adminactions.cpp" line="252"/>
        <source>Session revoked.</source>
        <translation>会话已撤销。</translation>
    </message>
</context>
<context>
    <name>ccpm::AgentDialog</name>
    <message>
        <location filename="../ui/agentdialog.cpp" line="72"/>
        <source>New agent</source>
        <translation>新建代理</translation>
    </message>
    <message>
        <location filename="../ui/agentdialog.cpp" line="72"/>
        <source>Edit agent %1</source>
        <translation>编辑代理 %1</translation>
    </message>
    <message>
        <location filename="../ui/agentdialog.cpp" line="85"/>
        <source>add a capability, Enter</source>
        <translation>添加一项能力，按回车</translation>
    </message>
    <message>
        <location filename="../ui/agentdialog.cpp" line="95"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../ui/agentdialog.cpp" line="113"/>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../ui/agentdialog.cpp" line="114"/>
        <source>&amp;Type:</source>
        <translation>类型(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../ui/agentdialog.cpp" line="115"/>
        <source>&amp;Status:</source>
        <translation>状态(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../ui/agentdialog.cpp" line="119"/>
        <source>&amp;Capabilities:</source>
        <translation>能力(&amp;C)：</translation>
    </message>
    <message>
        <location filename="../ui/agentdialog.cpp" line="123"/>
        <source>&amp;Metadata (JSON):</source>
        <translation>元数据 (JSON)(&amp;M)：</translation>
    </message>
    <message>
        <location filename="../ui/agentdialog.cpp" line="126"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../ui/agentdialog.cpp" line="236"/>
        <source>Enter a name for the agent.</source>
        <translation>请输入代理的名称。</translation>
    </message>
</context>
<context>
    <name>ccpm::AgentTokensDialog</name>
    <message>
        <location filename="../ui/agenttokensdialog.cpp" line="36"/>
        <source>&amp;Issue token</source>
        <translation>签发令牌(&amp;I)</translation>
    </message>
    <message>
        <location filename="../ui/agenttokensdialog.cpp" line="37"/>
        <source>&amp;Revoke…</source>
        <translation>撤销(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../ui/agenttokensdialog.cpp" line="42"/>
        <source>Tokens of %1</source>
        <translation>%1 的令牌</translation>
    </message>
    <message>
        <location filename="../ui/agenttokensdialog.cpp" line="45"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../ui/agenttokensdialog.cpp" line="45"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../ui/agenttokensdialog.cpp" line="45"/>
        <source>Last used</source>
        <translation>最近使用</translation>
    </message>
    <message>
        <location filename="../ui/agenttokensdialog.cpp" line="45"/>
        <source>Revoked</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <location filename="../ui/agenttokensdialog.cpp" line="48"/>
        <source>where the token is used, e.g. build-server</source>
        <translation>令牌的使用位置，例如 build-server</translation>
    </message>
    <message>
        <location filename="../ui/agenttokensdialog.cpp" line="60"/>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <location filename="../ui/agenttokensdialog.cpp" line="65"/>
        <source>⚠ Copy this token now: it will not be shown again. Only its hash is stored.</source>
        <translation>⚠ 请立即复制此令牌：它不会再次显示。只保存其哈希值。</translation>
    </message>
    <message>
        <location filename="../ui/agenttokensdialog.cpp" line="84"/>
        <source>New token:</source>
        <translation>新令牌：</translation>
    </message>
    <message>
        <location filename="../ui/agenttokensdialog.cpp" line="142"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../ui/agenttokensdialog.cpp" line="185"/>
        <source>Revoke token</source>
        <translation>撤销令牌</translation>
    </message>
    <message>
        <location filename="../ui/agenttokensdialog.cpp" line="186"/>
        <source>Revoke the token “%1” of %2? Agents using it can no longer connect.</source>
        <translation>撤销 %2 的令牌“%1”？使用它的代理将无法再连接。</translation>
    </message>
</context>
<context>
    <name>ccpm::AppCore</name>
    <message>
        <location filename="../app/appcore.cpp" line="96"/>
        <source>embedded database (%1)</source>
        <translation>内置数据库（%1）</translation>
    </message>
</context>
<context>
    <name>ccpm::ArrayEditor</name>
    <message>
        <location filename="../ui/studio/arrayeditor.cpp" line="37"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location filename="../ui/studio/arrayeditor.cpp" line="37"/>
        <source>Add an element at the end</source>
        <translation>在末尾添加一个元素</translation>
    </message>
    <message>
        <location filename="../ui/studio/arrayeditor.cpp" line="38"/>
        <source>Add NULL</source>
        <translation>添加 NULL</translation>
    </message>
    <message>
        <location filename="../ui/studio/arrayeditor.cpp" line="38"/>
        <source>Add a NULL element at the end</source>
        <translation>在末尾添加一个 NULL 元素</translation>
    </message>
    <message>
        <location filename="../ui/studio/arrayeditor.cpp" line="39"/>
        <source>Set NULL</source>
        <translation>设为 NULL</translation>
    </message>
    <message>
        <location filename="../ui/studio/arrayeditor.cpp" line="39"/>
        <source>Make the selected element NULL</source>
        <translation>将所选元素设为 NULL</translation>
    </message>
    <message>
        <location filename="../ui/studio/arrayeditor.cpp" line="40"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../ui/studio/arrayeditor.cpp" line="40"/>
        <source>Remove the selected element</source>
        <translation>移除所选元素</translation>
    </message>
    <message>
        <location filename="../ui/studio/arrayeditor.cpp" line="41"/>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <location filename="../ui/studio/arrayeditor.cpp" line="41"/>
        <source>Move the selected element up</source>
        <translation>将所选元素上移</translation>
    </message>
    <message>
        <location filename="../ui/studio/arrayeditor.cpp" line="42"/>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <location filename="../ui/studio/arrayeditor.cpp" line="42"/>
        <source>Move the selected element down</source>
        <translation>将所选元素下移</translation>
    </message>
    <message>
        <location filename="../ui/studio/arrayeditor.cpp" line="156"/>
        <source>Element %1 (“%2”)</source>
        <translation>第 %1 个元素（“%2”）</translation>
    </message>
    <message>
        <location filename="../ui/studio/arrayeditor.cpp" line="170"/>
        <source>1 element of %1.</source>
        <translation>1 个 %1 元素。</translation>
    </message>
    <message>
        <location filename="../ui/studio/arrayeditor.cpp" line="171"/>
        <source>%1 elements of %2.</source>
        <translation>%1 个 %2 元素。</translation>
    </message>
</context>
<context>
    <name>ccpm::AssignDialog</name>
    <message>
        <location filename="../ui/assigndialog.cpp" line="23"/>
        <source>AI</source>
        <translation>AI</translation>
    </message>
    <message>
        <location filename="../ui/assigndialog.cpp" line="25"/>
        <source>Human</source>
        <translation>人类</translation>
    </message>
    <message>
        <location filename="../ui/assigndialog.cpp" line="27"/>
        <source>Bot</source>
        <translation>机器人</translation>
    </message>
    <message>
        <location filename="../ui/assigndialog.cpp" line="36"/>
        <source>Active</source>
        <translation>活跃</translation>
    </message>
    <message>
        <location filename="../ui/assigndialog.cpp" line="38"/>
        <source>Inactive</source>
        <translation>不活跃</translation>
    </message>
    <message>
        <location filename="../ui/assigndialog.cpp" line="40"/>
        <source>Busy</source>
        <translation>忙碌</translation>
    </message>
    <message>
        <location filename="../ui/assigndialog.cpp" line="56"/>
        <source>&amp;Assign</source>
        <translation>分配(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/assigndialog.cpp" line="57"/>
        <source>&amp;Unassign</source>
        <translation>取消分配(&amp;U)</translation>
    </message>
    <message>
        <location filename="../ui/assigndialog.cpp" line="59"/>
        <source>Assign “%1”</source>
        <translation>分配“%1”</translation>
    </message>
    <message>
        <location filename="../ui/assigndialog.cpp" line="62"/>
        <source>Nobody holds this task. Agents are ranked by the task&apos;s tags they cover, then by availability, then by open tasks.</source>
        <translation>此任务尚无人负责。代理按覆盖任务标签的数量排序，其次按可用性，再按未完成任务数。</translation>
    </message>
    <message>
        <location filename="../ui/assigndialog.cpp" line="64"/>
        <source>Assigned to %1. Agents are ranked by the task&apos;s tags they cover, then by availability, then by open tasks.</source>
        <translation>已分配给 %1。代理按覆盖任务标签的数量排序，其次按可用性，再按未完成任务数。</translation>
    </message>
    <message>
        <location filename="../ui/assigndialog.cpp" line="69"/>
        <source>Agent</source>
        <translation>代理</translation>
    </message>
    <message>
        <location filename="../ui/assigndialog.cpp" line="69"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../ui/assigndialog.cpp" line="69"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../ui/assigndialog.cpp" line="69"/>
        <source>Tags covered</source>
        <translation>覆盖标签</translation>
    </message>
    <message>
        <location filename="../ui/assigndialog.cpp" line="69"/>
        <source>Open tasks</source>
        <translation>未完成任务</translation>
    </message>
    <message>
        <location filename="../ui/assigndialog.cpp" line="127"/>
        <source>Connected to the agent hub</source>
        <translation>已连接到代理中心</translation>
    </message>
    <message>
        <location filename="../ui/assigndialog.cpp" line="128"/>
        <source>Not connected to the agent hub</source>
        <translation>未连接到代理中心</translation>
    </message>
    <message>
        <location filename="../ui/assigndialog.cpp" line="131"/>
        <source>no tags</source>
        <translation>无标签</translation>
    </message>
    <message>
        <location filename="../ui/assigndialog.cpp" line="131"/>
        <source>%1/%2</source>
        <translation>%1/%2</translation>
    </message>
</context>
<context>
    <name>ccpm::BreadcrumbBar</name>
    <message>
        <location filename="../ui/studio/breadcrumbbar.cpp" line="26"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../ui/studio/breadcrumbbar.cpp" line="33"/>
        <source>Back (Alt+Left)</source>
        <translation>返回（Alt+Left）</translation>
    </message>
</context>
<context>
    <name>ccpm::ByteaEditor</name>
    <message>
        <location filename="../ui/studio/byteaeditor.cpp" line="46"/>
        <source>Hex (\x followed by two hex digits per byte):</source>
        <translation>十六进制（\x 后每个字节写两个十六进制数字）：</translation>
    </message>
    <message>
        <location filename="../ui/studio/byteaeditor.cpp" line="82"/>
        <source>NULL</source>
        <translation>NULL</translation>
    </message>
    <message>
        <location filename="../ui/studio/byteaeditor.cpp" line="85"/>
        <source>Empty: saves SQL NULL (\x is zero bytes).</source>
        <translation>留空：保存为 SQL NULL（\x 表示零字节）。</translation>
    </message>
    <message>
        <location filename="../ui/studio/byteaeditor.cpp" line="86"/>
        <source>%1 cannot be NULL: \x is zero bytes.</source>
        <translation>%1 不能为 NULL：\x 表示零字节。</translation>
    </message>
    <message>
        <location filename="../ui/studio/byteaeditor.cpp" line="95"/>
        <source>1 byte</source>
        <translation>1 字节</translation>
    </message>
    <message>
        <location filename="../ui/studio/byteaeditor.cpp" line="96"/>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <location filename="../ui/studio/byteaeditor.cpp" line="99"/>
        <source>… %1 more bytes</source>
        <translation>… 还有 %1 字节</translation>
    </message>
    <message>
        <location filename="../ui/studio/byteaeditor.cpp" line="101"/>
        <source>Valid: %1.</source>
        <translation>有效：%1。</translation>
    </message>
</context>
<context>
    <name>ccpm::CatalogTreeModel</name>
    <message>
        <location filename="../models/catalogtreemodel.cpp" line="246"/>
        <source>partitioned table</source>
        <translation>分区表</translation>
    </message>
    <message>
        <location filename="../models/catalogtreemodel.cpp" line="248"/>
        <source>view</source>
        <translation>视图</translation>
    </message>
    <message>
        <location filename="../models/catalogtreemodel.cpp" line="250"/>
        <source>materialized view</source>
        <translation>物化视图</translation>
    </message>
    <message>
        <location filename="../models/catalogtreemodel.cpp" line="252"/>
        <source>foreign table</source>
        <translation>外部表</translation>
    </message>
    <message>
        <location filename="../models/catalogtreemodel.cpp" line="254"/>
        <source>table</source>
        <translation>表</translation>
    </message>
    <message>
        <location filename="../models/catalogtreemodel.cpp" line="319"/>
        <source>Table</source>
        <translation>表</translation>
    </message>
    <message>
        <location filename="../models/catalogtreemodel.cpp" line="319"/>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message numerus="yes">
        <location filename="../models/catalogtreemodel.cpp" line="339"/>
        <source>Schema %1: %n table(s) listed</source>
        <translation>
            <numerusform>模式 %1：列出了 %n 个表</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../models/catalogtreemodel.cpp" line="357"/>
        <source>counting…</source>
        <translation>正在计数…</translation>
    </message>
    <message>
        <location filename="../models/catalogtreemodel.cpp" line="374"/>
        <source>%1.%2 (%3)</source>
        <translation>%1.%2（%3）</translation>
    </message>
    <message>
        <location filename="../models/catalogtreemodel.cpp" line="376"/>
        <source>Counting failed: %1</source>
        <translation>计数失败：%1</translation>
    </message>
    <message>
        <location filename="../models/catalogtreemodel.cpp" line="378"/>
        <source>%1 rows, counted exactly</source>
        <translation>%1 行，精确计数</translation>
    </message>
    <message>
        <location filename="../models/catalogtreemodel.cpp" line="380"/>
        <source>About %1 rows: PostgreSQL&apos;s estimate. Right-click to count them exactly.</source>
        <translation>约 %1 行：PostgreSQL 的估计值。右键单击可精确计数。</translation>
    </message>
    <message>
        <location filename="../models/catalogtreemodel.cpp" line="383"/>
        <source>No estimate (never analysed, or a view). Right-click to count the rows exactly.</source>
        <translation>无估计值（从未分析过，或是视图）。右键单击可精确计算行数。</translation>
    </message>
    <message>
        <location filename="../models/catalogtreemodel.cpp" line="385"/>
        <source>No primary key: this table opens read-only.</source>
        <translation>没有主键：此表以只读方式打开。</translation>
    </message>
</context>
<context>
    <name>ccpm::ColumnSpec</name>
    <message>
        <location filename="../models/columnspec.cpp" line="243"/>
        <source>DEFAULT</source>
        <translation>DEFAULT</translation>
    </message>
    <message>
        <location filename="../models/columnspec.cpp" line="253"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../models/columnspec.cpp" line="253"/>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../models/columnspec.cpp" line="291"/>
        <source>(empty list)</source>
        <translation>（空列表）</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="21"/>
        <source>%1 has no default value, and cannot be NULL.</source>
        <translation>%1 没有默认值，且不能为 NULL。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="25"/>
        <location filename="../models/columnspecproblem.cpp" line="44"/>
        <source>%1 is required.</source>
        <translation>%1 为必填项。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="33"/>
        <source>%1 must be %2 to %3 characters long (it has %4).</source>
        <translation>%1 的长度必须为 %2 到 %3 个字符（当前为 %4 个）。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="38"/>
        <source>%1 must be at least %2 characters long (it has %3).</source>
        <translation>%1 的长度至少为 %2 个字符（当前为 %3 个）。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="49"/>
        <source>%1 must be a whole number.</source>
        <translation>%1 必须是整数。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="52"/>
        <source>%1 must be between %2 and %3.</source>
        <translation>%1 必须介于 %2 和 %3 之间。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="58"/>
        <source>%1 must be true or false.</source>
        <translation>%1 必须是 true 或 false。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="62"/>
        <source>%1 must be one of: %2.</source>
        <translation>%1 必须是以下值之一：%2。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="66"/>
        <source>%1 must be a date and time between the years 1 and 9999, such as 2026-11-29 18:30:00.</source>
        <translation>%1 必须是 1 年至 9999 年之间的日期和时间，例如 2026-11-29 18:30:00。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="72"/>
        <source>%1 is empty; JSON needs a value such as {} or null.</source>
        <translation>%1 为空；JSON 需要一个值，例如 {} 或 null。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="74"/>
        <source>%1 cannot hold the character \u0000 (PostgreSQL&apos;s jsonb refuses it).</source>
        <translation>%1 不能包含字符 \u0000（PostgreSQL 的 jsonb 不接受该字符）。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="78"/>
        <source>%1 is not valid JSON: %2</source>
        <translation>%1 不是有效的 JSON：%2</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="79"/>
        <source>%1 is not valid JSON.</source>
        <translation>%1 不是有效的 JSON。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="81"/>
        <source>%1 must be a list.</source>
        <translation>%1 必须是列表。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="84"/>
        <source>%1 must be a number such as 83261.85, -0.000001 or 1e-30 (NaN and Infinity are allowed too); “%2” is not one.</source>
        <translation>%1 必须是数字，例如 83261.85、-0.000001 或 1e-30（也允许 NaN 和 Infinity）；“%2”不是数字。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="92"/>
        <source>%1 allows at most %2 digits before the decimal point (%3); “%4” has %5.</source>
        <translation>%1 的小数点前最多允许 %2 位数字（%3）；“%4”有 %5 位。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="103"/>
        <source>%1 must be a UUID of 32 hex digits, such as a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11.</source>
        <translation>%1 必须是由 32 个十六进制数字组成的 UUID，例如 a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="110"/>
        <source>%1: a backslash must be followed by another backslash or by three octal digits (\000 to \377); or write the bytes in hex, such as \x0a1b2c.</source>
        <translation>%1：反斜杠后面必须跟另一个反斜杠或三位八进制数字（\000 到 \377）；也可以用十六进制写出字节，例如 \x0a1b2c。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="116"/>
        <source>%1 must be bytes in hex after \x: “%2” is not a hex digit.</source>
        <translation>%1 在 \x 之后必须是十六进制字节：“%2”不是十六进制数字。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="119"/>
        <source>%1 has an odd number of hex digits (%2): each byte needs two.</source>
        <translation>%1 的十六进制数字个数为奇数（%2 个）：每个字节需要两个。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="131"/>
        <source>%1: %2 does not exist in local time (the clocks skip that hour); add an offset such as +02:00 or pick another time.</source>
        <translation>%1：%2 在本地时间中不存在（时钟跳过了该小时）；请添加偏移量（例如 +02:00）或选择其他时间。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="134"/>
        <source>%1 must be a date and time such as 2026-11-29 18:30:00 (local time; add an offset such as +02:00 for another zone).</source>
        <translation>%1 必须是日期和时间，例如 2026-11-29 18:30:00（本地时间；如为其他时区，请添加偏移量，例如 +02:00）。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="144"/>
        <source>%1 is a timestamp without time zone: remove the offset from “%2” (PostgreSQL would drop it).</source>
        <translation>%1 是不带时区的时间戳：请删除“%2”中的偏移量（PostgreSQL 会将其丢弃）。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="149"/>
        <source>%1 must be a date and time such as 2026-11-29 18:30:00 (stored as typed, without a time zone).</source>
        <translation>%1 必须是日期和时间，例如 2026-11-29 18:30:00（按输入原样存储，不带时区）。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="157"/>
        <source>%1 must be a date such as 2026-11-29.</source>
        <translation>%1 必须是日期，例如 2026-11-29。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="165"/>
        <source>%1 is a time without time zone: remove the offset from “%2”.</source>
        <translation>%1 是不带时区的时间：请删除“%2”中的偏移量。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="166"/>
        <source>%1 must be a time such as 18:30:00 or 18:30:00+02.</source>
        <translation>%1 必须是时间，例如 18:30:00 或 18:30:00+02。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="167"/>
        <source>%1 must be a time such as 18:30:00 or 18:30:00.250.</source>
        <translation>%1 必须是时间，例如 18:30:00 或 18:30:00.250。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="171"/>
        <source>%1 must be an interval such as 1 mon 2 days 03:04:05, 90 minutes or P1DT2H.</source>
        <translation>%1 必须是时间间隔，例如 1 mon 2 days 03:04:05、90 minutes 或 P1DT2H。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="177"/>
        <source>%1 must be an IPv4 or IPv6 address with an optional /prefix, such as 192.168.0.1, 10.0.0.0/8 or ::1/128.</source>
        <translation>%1 必须是 IPv4 或 IPv6 地址，可带 /前缀长度，例如 192.168.0.1、10.0.0.0/8 或 ::1/128。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="183"/>
        <source>%1 must be a list, written as a JSON array such as [&quot;a&quot;, &quot;b&quot;, null].</source>
        <translation>%1 必须是列表，以 JSON 数组的形式书写，例如 [&quot;a&quot;, &quot;b&quot;, null]。</translation>
    </message>
    <message>
        <location filename="../models/columnspecproblem.cpp" line="189"/>
        <source>%1, element %2 (“%3”),</source>
        <translation>%1 的第 %2 个元素（“%3”）</translation>
    </message>
    <message>
        <location filename="../models/columnspec.cpp" line="629"/>
        <source>Set to the column&apos;s default.</source>
        <translation>设为该列的默认值。</translation>
    </message>
    <message>
        <location filename="../models/columnspec.cpp" line="630"/>
        <source>Set to the column&apos;s default: %1</source>
        <translation>设为该列的默认值：%1</translation>
    </message>
    <message>
        <location filename="../models/columnspec.cpp" line="642"/>
        <source>%1 has no time zone: shown as stored, never converted to local time.</source>
        <translation>%1 不带时区：按存储的原样显示，不会转换为本地时间。</translation>
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
    <name>ccpm::DashboardView</name>
    <message>
        <location filename="../ui/dashboardview.cpp" line="50"/>
        <source>%1 d</source>
        <translation>%1 天</translation>
    </message>
    <message>
        <location filename="../ui/dashboardview.cpp" line="52"/>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <location filename="../ui/dashboardview.cpp" line="53"/>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location filename="../ui/dashboardview.cpp" line="62"/>
        <source>Tasks by status</source>
        <translation>按状态统计任务</translation>
    </message>
    <message>
        <location filename="../ui/dashboardview.cpp" line="63"/>
        <source>Tasks by priority</source>
        <translation>按优先级统计任务</translation>
    </message>
    <message>
        <location filename="../ui/dashboardview.cpp" line="64"/>
        <source>Agents by status</source>
        <translation>按状态统计代理</translation>
    </message>
    <message>
        <location filename="../ui/dashboardview.cpp" line="65"/>
        <source>Agents connected to the hub</source>
        <translation>连接到中心的代理</translation>
    </message>
    <message>
        <location filename="../ui/dashboardview.cpp" line="66"/>
        <source>Tasks completed per day (UTC, last 14 days)</source>
        <translation>每日完成的任务（UTC，最近 14 天）</translation>
    </message>
    <message>
        <location filename="../ui/dashboardview.cpp" line="69"/>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location filename="../ui/dashboardview.cpp" line="72"/>
        <source>Longest-open task</source>
        <translation>未完成时间最长的任务</translation>
    </message>
    <message>
        <location filename="../ui/dashboardview.cpp" line="72"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../ui/dashboardview.cpp" line="72"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../ui/dashboardview.cpp" line="72"/>
        <source>Assignee</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../ui/dashboardview.cpp" line="72"/>
        <source>Open for</source>
        <translation>已开放</translation>
    </message>
    <message>
        <location filename="../ui/dashboardview.cpp" line="142"/>
        <source>The dashboard could not be refreshed: %1</source>
        <translation>无法刷新仪表板：%1</translation>
    </message>
    <message>
        <location filename="../ui/dashboardview.cpp" line="157"/>
        <source>%1 tasks, %2 agents · updated %3</source>
        <translation>%1 个任务，%2 个代理 · 更新于 %3</translation>
    </message>
    <message>
        <location filename="../ui/dashboardview.cpp" line="164"/>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <location filename="../ui/dashboardview.cpp" line="165"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../ui/dashboardview.cpp" line="172"/>
        <source>%1: completed %2</source>
        <translation>%1：完成 %2 个</translation>
    </message>
    <message>
        <location filename="../ui/dashboardview.cpp" line="185"/>
        <source>unassigned</source>
        <translation>未分配</translation>
    </message>
</context>
<context>
    <name>ccpm::DatabaseBanner</name>
    <message>
        <location filename="../ui/databasebanner.cpp" line="15"/>
        <source>Retry now</source>
        <translation>立即重试</translation>
    </message>
    <message>
        <location filename="../ui/databasebanner.cpp" line="39"/>
        <source>Database unavailable, retrying in %1 s</source>
        <translation>数据库不可用，%1 秒后重试</translation>
    </message>
    <message>
        <location filename="../ui/databasebanner.cpp" line="40"/>
        <source>Database unavailable, retrying now…</source>
        <translation>数据库不可用，正在重试…</translation>
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
        <location filename="../app/desktopapp.cpp" line="59"/>
        <source>Starting the embedded database…</source>
        <translation>正在启动内置数据库…</translation>
    </message>
    <message>
        <location filename="../app/desktopapp.cpp" line="60"/>
        <source>Connecting to the database…</source>
        <translation>正在连接数据库…</translation>
    </message>
    <message>
        <location filename="../app/desktopapp.cpp" line="62"/>
        <source>CCPM Desk</source>
        <translation>CCPM Desk</translation>
    </message>
    <message>
        <location filename="../app/desktopapp.cpp" line="69"/>
        <location filename="../app/desktopapp.cpp" line="75"/>
        <source>Cannot open the database</source>
        <translation>无法打开数据库</translation>
    </message>
    <message>
        <location filename="../app/desktopapp.cpp" line="129"/>
        <source>Session ended — log in again</source>
        <translation>会话已结束 — 请重新登录</translation>
    </message>
    <message>
        <location filename="../app/desktopapp.cpp" line="131"/>
        <source>Your session has ended (an administrator revoked it, or it expired). Enter your password to go on; nothing you staged is lost.</source>
        <translation>您的会话已结束（已被管理员撤销或已过期）。请输入密码以继续；您暂存的更改不会丢失。</translation>
    </message>
    <message>
        <location filename="../app/desktopapp.cpp" line="137"/>
        <source>Another user</source>
        <translation>其他用户</translation>
    </message>
    <message>
        <location filename="../app/desktopapp.cpp" line="138"/>
        <source>This window belongs to %1. Log in as %1 to go on, or quit.</source>
        <translation>此窗口属于 %1。请以 %1 的身份登录以继续，或退出。</translation>
    </message>
    <message>
        <location filename="../app/desktopapp.cpp" line="178"/>
        <source>Agent hub not started</source>
        <translation>代理中心未启动</translation>
    </message>
</context>
<context>
    <name>ccpm::ExplainPlanModel</name>
    <message>
        <location filename="../models/explainplanmodel.cpp" line="74"/>
        <source>The server&apos;s answer is not a plan in JSON.</source>
        <translation>服务器的应答不是 JSON 格式的执行计划。</translation>
    </message>
    <message>
        <location filename="../models/explainplanmodel.cpp" line="235"/>
        <source>never executed</source>
        <translation>从未执行</translation>
    </message>
    <message>
        <location filename="../models/explainplanmodel.cpp" line="274"/>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <location filename="../models/explainplanmodel.cpp" line="276"/>
        <source>Relation</source>
        <translation>关系</translation>
    </message>
    <message>
        <location filename="../models/explainplanmodel.cpp" line="278"/>
        <source>Startup cost</source>
        <translation>启动成本</translation>
    </message>
    <message>
        <location filename="../models/explainplanmodel.cpp" line="280"/>
        <source>Total cost</source>
        <translation>总成本</translation>
    </message>
    <message>
        <location filename="../models/explainplanmodel.cpp" line="282"/>
        <source>Plan rows</source>
        <translation>计划行数</translation>
    </message>
    <message>
        <location filename="../models/explainplanmodel.cpp" line="284"/>
        <source>Actual rows</source>
        <translation>实际行数</translation>
    </message>
    <message>
        <location filename="../models/explainplanmodel.cpp" line="286"/>
        <source>Time (ms)</source>
        <translation>时间（毫秒）</translation>
    </message>
    <message>
        <location filename="../models/explainplanmodel.cpp" line="288"/>
        <source>Loops</source>
        <translation>循环次数</translation>
    </message>
    <message>
        <location filename="../models/explainplanmodel.cpp" line="290"/>
        <source>Self time (ms)</source>
        <translation>自身时间（毫秒）</translation>
    </message>
</context>
<context>
    <name>ccpm::ExportDialog</name>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="77"/>
        <source>CSV (comma-separated, with a header row)</source>
        <translation>CSV（逗号分隔，带标题行）</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="78"/>
        <source>JSON (an array of objects, one per line)</source>
        <translation>JSON（对象数组，每行一个）</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="80"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="91"/>
        <source>Export %1</source>
        <translation>导出 %1</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="105"/>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="106"/>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="59"/>
        <source>Exports every row of the current view, with its filters and sort. NULL is written as an empty field in CSV and as null in JSON.</source>
        <translation>导出当前视图的所有行，并应用其筛选条件和排序。NULL 在 CSV 中写为空字段，在 JSON 中写为 null。</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="70"/>
        <source>Exports every row the statement returns, run again in a read-only transaction that sees committed data only. NULL is written as an empty field in CSV and as null in JSON.</source>
        <translation>导出该语句返回的所有行；语句会在只读事务中重新运行，只能看到已提交的数据。NULL 在 CSV 中写为空字段，在 JSON 中写为 null。</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="116"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="180"/>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="180"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="181"/>
        <source>Export to</source>
        <translation>导出到</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="194"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="194"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="202"/>
        <source>Choose the file to export to.</source>
        <translation>请选择要导出到的文件。</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="221"/>
        <source>Counting the rows…</source>
        <translation>正在计算行数…</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="239"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="261"/>
        <source>%1 rows/s</source>
        <translation>%1 行/秒</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="265"/>
        <source>%1 of %2 rows</source>
        <translation>%1 / %2 行</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="268"/>
        <source>%1 rows</source>
        <translation>%1 行</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="286"/>
        <source>Exported 1 row to %1 in %2 s.</source>
        <translation>已用 %2 秒将 1 行导出到 %1。</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="287"/>
        <source>Exported %1 rows to %2 in %3 s (%4 rows/s).</source>
        <translation>已用 %3 秒将 %1 行导出到 %2（%4 行/秒）。</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="294"/>
        <source>Export cancelled: no file was written.</source>
        <translation>导出已取消：未写入任何文件。</translation>
    </message>
    <message>
        <location filename="../ui/studio/exportdialog.cpp" line="295"/>
        <source>The export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
</context>
<context>
    <name>ccpm::FilterEditor</name>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="26"/>
        <source>a whole number</source>
        <translation>整数</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="28"/>
        <source>a number such as 10.5</source>
        <translation>数字，例如 10.5</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="30"/>
        <source>2026-11-29 18:30 (local time)</source>
        <translation>2026-11-29 18:30（本地时间）</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="33"/>
        <source>2026-11-29 18:30:00</source>
        <translation>2026-11-29 18:30:00</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="35"/>
        <source>2026-11-29</source>
        <translation>2026-11-29</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="37"/>
        <source>18:30</source>
        <translation>18:30</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="39"/>
        <source>1 day 02:00:00</source>
        <translation>1 day 02:00:00</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="41"/>
        <source>123e4567-e89b-12d3-a456-426614174000</source>
        <translation>123e4567-e89b-12d3-a456-426614174000</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="43"/>
        <source>192.168.0.1 or 10.0.0.0/8</source>
        <translation>192.168.0.1 或 10.0.0.0/8</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="45"/>
        <source>\x0a1b</source>
        <translation>\x0a1b</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="47"/>
        <source>JSON: {&quot;a&quot;: 1}, &quot;text&quot;, 42</source>
        <translation>JSON：{&quot;a&quot;: 1}、&quot;text&quot;、42</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="50"/>
        <source>an element</source>
        <translation>一个元素</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="52"/>
        <location filename="../ui/studio/filtereditor.cpp" line="232"/>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="81"/>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="82"/>
        <source>Operator</source>
        <translation>运算符</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="83"/>
        <location filename="../ui/studio/filtereditor.cpp" line="84"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="85"/>
        <source>JSON path</source>
        <translation>JSON 路径</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="86"/>
        <source>path: address.city or items.0.name</source>
        <translation>路径：address.city 或 items.0.name</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="108"/>
        <source>Enter to apply, Esc to close</source>
        <translation>按回车应用，按 Esc 关闭</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="142"/>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="142"/>
        <source>Add filter</source>
        <translation>添加筛选条件</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="218"/>
        <source>true</source>
        <translation>true</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="219"/>
        <source>false</source>
        <translation>false</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="229"/>
        <source>values separated by commas (&quot;a, b&quot; keeps its comma)</source>
        <translation>以逗号分隔的值（&quot;a, b&quot; 会保留其中的逗号）</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="230"/>
        <source>some of: %1</source>
        <translation>以下值中的若干个：%1</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="234"/>
        <source>key</source>
        <translation>键</translation>
    </message>
    <message>
        <location filename="../ui/studio/filtereditor.cpp" line="236"/>
        <source>value at the path, as text (x, 42, true)</source>
        <translation>路径处的值，以文本形式（x、42、true）</translation>
    </message>
</context>
<context>
    <name>ccpm::FilterPill</name>
    <message>
        <location filename="../ui/studio/filterpill.cpp" line="29"/>
        <source>%1
Click to edit, × or Delete to remove</source>
        <translation>%1
单击可编辑，单击 × 或按 Delete 可移除</translation>
    </message>
</context>
<context>
    <name>ccpm::FilterPillBar</name>
    <message>
        <location filename="../ui/studio/filterpillbar.cpp" line="29"/>
        <source>+ Filter</source>
        <translation>+ 筛选</translation>
    </message>
    <message>
        <location filename="../ui/studio/filterpillbar.cpp" line="30"/>
        <source>Add a filter on a column</source>
        <translation>为某一列添加筛选条件</translation>
    </message>
    <message>
        <location filename="../ui/studio/filterpillbar.cpp" line="33"/>
        <location filename="../ui/studio/filterpillbar.cpp" line="270"/>
        <source>AND</source>
        <translation>AND</translation>
    </message>
    <message>
        <location filename="../ui/studio/filterpillbar.cpp" line="34"/>
        <source>AND: a row must match every filter. OR: any filter may match. Click to switch.</source>
        <translation>AND：行必须满足所有筛选条件。OR：满足任一筛选条件即可。单击可切换。</translation>
    </message>
    <message>
        <location filename="../ui/studio/filterpillbar.cpp" line="36"/>
        <source>Search text columns (Ctrl+F)</source>
        <translation>搜索文本列（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../ui/studio/filterpillbar.cpp" line="37"/>
        <source>Text typed here is searched in the text columns.
A filter typed here, such as price &gt;= 10 and status in (A, B), becomes pills on Enter.</source>
        <translation>在此输入的文本将在文本列中搜索。
在此输入的筛选条件（例如 price &gt;= 10 and status in (A, B)）按回车后会变为筛选标签。</translation>
    </message>
    <message>
        <location filename="../ui/studio/filterpillbar.cpp" line="252"/>
        <source>or</source>
        <translation>或</translation>
    </message>
    <message>
        <location filename="../ui/studio/filterpillbar.cpp" line="252"/>
        <source>and</source>
        <translation>且</translation>
    </message>
    <message>
        <location filename="../ui/studio/filterpillbar.cpp" line="270"/>
        <source>OR</source>
        <translation>OR</translation>
    </message>
</context>
<context>
    <name>ccpm::FirstAdminDialog</name>
    <message>
        <location filename="../ui/firstadmindialog.cpp" line="20"/>
        <source>Create the first administrator</source>
        <translation>创建第一个管理员</translation>
    </message>
    <message>
        <location filename="../ui/firstadmindialog.cpp" line="22"/>
        <source>&lt;b&gt;Welcome to CCPM Desk.&lt;/b&gt;&lt;br&gt;The database %1 has no users yet. Create the administrator who will add the others; you are logged in as them next.</source>
        <translation>&lt;b&gt;欢迎使用 CCPM Desk。&lt;/b&gt;&lt;br&gt;数据库 %1 中还没有用户。请创建管理员，由其添加其他用户；之后您将以该管理员身份登录。</translation>
    </message>
    <message>
        <location filename="../ui/firstadmindialog.cpp" line="29"/>
        <source>&amp;Username:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <location filename="../ui/firstadmindialog.cpp" line="30"/>
        <source>&amp;E-mail:</source>
        <translation>电子邮件(&amp;E)：</translation>
    </message>
    <message>
        <location filename="../ui/firstadmindialog.cpp" line="31"/>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../ui/firstadmindialog.cpp" line="32"/>
        <source>&amp;Confirm:</source>
        <translation>确认(&amp;C)：</translation>
    </message>
    <message>
        <location filename="../ui/firstadmindialog.cpp" line="53"/>
        <source>at least %1 characters</source>
        <translation>至少 %1 个字符</translation>
    </message>
    <message>
        <location filename="../ui/firstadmindialog.cpp" line="63"/>
        <location filename="../ui/firstadmindialog.cpp" line="129"/>
        <source>Create administrator</source>
        <translation>创建管理员</translation>
    </message>
    <message>
        <location filename="../ui/firstadmindialog.cpp" line="119"/>
        <source>A password needs at least %1 characters.</source>
        <translation>密码至少需要 %1 个字符。</translation>
    </message>
    <message>
        <location filename="../ui/firstadmindialog.cpp" line="121"/>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location filename="../ui/firstadmindialog.cpp" line="123"/>
        <source>Creating…</source>
        <translation>正在创建…</translation>
    </message>
</context>
<context>
    <name>ccpm::HealthDialog</name>
    <message>
        <location filename="../ui/healthdialog.cpp" line="57"/>
        <source>Health</source>
        <translation>运行状况</translation>
    </message>
    <message>
        <location filename="../ui/healthdialog.cpp" line="60"/>
        <source>Database:</source>
        <translation>数据库：</translation>
    </message>
    <message>
        <location filename="../ui/healthdialog.cpp" line="61"/>
        <source>Reachable:</source>
        <translation>可访问：</translation>
    </message>
    <message>
        <location filename="../ui/healthdialog.cpp" line="62"/>
        <source>Round trip:</source>
        <translation>往返时间：</translation>
    </message>
    <message>
        <location filename="../ui/healthdialog.cpp" line="63"/>
        <source>Server version:</source>
        <translation>服务器版本：</translation>
    </message>
    <message>
        <location filename="../ui/healthdialog.cpp" line="64"/>
        <source>Migrations applied:</source>
        <translation>已应用的迁移：</translation>
    </message>
    <message>
        <location filename="../ui/healthdialog.cpp" line="65"/>
        <source>Migrations pending:</source>
        <translation>待应用的迁移：</translation>
    </message>
    <message>
        <location filename="../ui/healthdialog.cpp" line="66"/>
        <source>Agent hub:</source>
        <translation>代理中心：</translation>
    </message>
    <message>
        <location filename="../ui/healthdialog.cpp" line="67"/>
        <source>Hub connections:</source>
        <translation>中心连接数：</translation>
    </message>
    <message>
        <location filename="../ui/healthdialog.cpp" line="70"/>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/healthdialog.cpp" line="107"/>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../ui/healthdialog.cpp" line="107"/>
        <source>off (%1)</source>
        <translation>关闭（%1）</translation>
    </message>
    <message>
        <location filename="../ui/healthdialog.cpp" line="120"/>
        <source>checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <location filename="../ui/healthdialog.cpp" line="128"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../ui/healthdialog.cpp" line="129"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location filename="../ui/healthdialog.cpp" line="131"/>
        <source>no: %1</source>
        <translation>否：%1</translation>
    </message>
    <message>
        <location filename="../ui/healthdialog.cpp" line="138"/>
        <location filename="../ui/healthdialog.cpp" line="145"/>
        <source>unknown: %1</source>
        <translation>未知：%1</translation>
    </message>
    <message>
        <location filename="../ui/healthdialog.cpp" line="155"/>
        <source>· changed since applied: %1</source>
        <translation>· 应用后已更改：%1</translation>
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
    <name>ccpm::JsonEditor</name>
    <message>
        <location filename="../ui/studio/jsoneditor.cpp" line="15"/>
        <source>an object</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../ui/studio/jsoneditor.cpp" line="17"/>
        <source>an array</source>
        <translation>数组</translation>
    </message>
    <message>
        <location filename="../ui/studio/jsoneditor.cpp" line="19"/>
        <source>a string</source>
        <translation>字符串</translation>
    </message>
    <message>
        <location filename="../ui/studio/jsoneditor.cpp" line="21"/>
        <source>a boolean</source>
        <translation>布尔值</translation>
    </message>
    <message>
        <location filename="../ui/studio/jsoneditor.cpp" line="23"/>
        <source>JSON null (not SQL NULL)</source>
        <translation>JSON null（不是 SQL NULL）</translation>
    </message>
    <message>
        <location filename="../ui/studio/jsoneditor.cpp" line="24"/>
        <source>a number</source>
        <translation>数字</translation>
    </message>
    <message>
        <location filename="../ui/studio/jsoneditor.cpp" line="36"/>
        <source>A JSON value: {&quot;key&quot;: 1}, [1, 2], &quot;text&quot;, 42, true or null</source>
        <translation>JSON 值：{&quot;key&quot;: 1}、[1, 2]、&quot;text&quot;、42、true 或 null</translation>
    </message>
    <message>
        <location filename="../ui/studio/jsoneditor.cpp" line="64"/>
        <source>Empty: saves SQL NULL.</source>
        <translation>留空：保存为 SQL NULL。</translation>
    </message>
    <message>
        <location filename="../ui/studio/jsoneditor.cpp" line="66"/>
        <source>Empty, and %1 cannot be NULL: write a JSON value such as {} or null.</source>
        <translation>值为空，但 %1 不能为 NULL：请输入 JSON 值，例如 {} 或 null。</translation>
    </message>
    <message>
        <location filename="../ui/studio/jsoneditor.cpp" line="72"/>
        <source>Valid JSON: %1.</source>
        <translation>有效的 JSON：%1。</translation>
    </message>
    <message>
        <location filename="../ui/studio/jsoneditor.cpp" line="74"/>
        <source>Invalid: %1</source>
        <translation>无效：%1</translation>
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
        <location filename="../ui/mainwindow.cpp" line="44"/>
        <source>CCPM Desk — %1 @ %2</source>
        <translation>CCPM Desk — %1 @ %2</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="48"/>
        <source>&amp;Users</source>
        <translation>用户(&amp;U)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="49"/>
        <source>&amp;Agents</source>
        <translation>代理(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="50"/>
        <source>&amp;Tasks</source>
        <translation>任务(&amp;T)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="51"/>
        <source>&amp;Messages</source>
        <translation>消息(&amp;M)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="52"/>
        <source>&amp;Sessions</source>
        <translation>会话(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="89"/>
        <source>Nothing was saved</source>
        <translation>未保存任何内容</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="101"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="102"/>
        <source>&amp;Save changes</source>
        <translation>保存更改(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="103"/>
        <source>&amp;Discard changes</source>
        <translation>放弃更改(&amp;D)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="108"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="110"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="111"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="113"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="122"/>
        <source>&amp;Add row</source>
        <translation>添加行(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="123"/>
        <source>&amp;Delete rows</source>
        <translation>删除行(&amp;D)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="129"/>
        <source>Resolve &amp;conflict…</source>
        <translation>解决冲突(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="133"/>
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="138"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="139"/>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="139"/>
        <source>Agents</source>
        <translation>代理</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="139"/>
        <source>Tasks</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="139"/>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="139"/>
        <source>Sessions</source>
        <translation>会话</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="145"/>
        <source>&amp;Reload</source>
        <translation>重新加载(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="147"/>
        <source>&amp;Jump to…</source>
        <translation>跳转到(&amp;J)…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="149"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="150"/>
        <source>&amp;Health…</source>
        <translation>运行状况(&amp;H)…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="156"/>
        <source>&amp;Dashboard</source>
        <translation>仪表板(&amp;D)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="158"/>
        <source>Dashboard</source>
        <translation>仪表板</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="168"/>
        <source>S&amp;tudio</source>
        <translation>Studio(&amp;T)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="181"/>
        <location filename="../ui/mainwindow.cpp" line="451"/>
        <source>Studio</source>
        <translation>Studio</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="206"/>
        <source>The database is back.</source>
        <translation>数据库已恢复。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="214"/>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="355"/>
        <source>Rows cannot be added here: use the dialog for this table.</source>
        <translation>无法在此处添加行：请使用此表的对话框。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="374"/>
        <source>Delete a row</source>
        <translation>删除一行</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="375"/>
        <source>Delete %1 rows</source>
        <translation>删除 %1 行</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="381"/>
        <source>Some rows cannot be deleted here.</source>
        <translation>部分行无法在此处删除。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="387"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="422"/>
        <source>Tas&amp;k</source>
        <translation>任务(&amp;K)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="433"/>
        <source>Show &amp;board</source>
        <translation>显示看板(&amp;B)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="437"/>
        <source>Show &amp;table</source>
        <translation>显示表格(&amp;T)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="457"/>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="458"/>
        <source>These tables have changes that are not saved: %1.
Quit and lose them?</source>
        <translation>以下表中有未保存的更改：%1。
是否退出并放弃这些更改？</translation>
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
        <location filename="../models/pagedtablemodel.cpp" line="204"/>
        <location filename="../models/pagedtablemodel.cpp" line="205"/>
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
        <location filename="../models/pagedtablemodeledits.cpp" line="91"/>
        <source>Someone else deleted this row.</source>
        <translation>其他人删除了此行。</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="92"/>
        <source>Someone else saved: %1</source>
        <translation>其他人保存的值：%1</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="210"/>
        <source>Add a row</source>
        <translation>添加一行</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="210"/>
        <source>Add %1 rows</source>
        <translation>添加 %1 行</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="239"/>
        <source>Delete a row</source>
        <translation>删除一行</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="239"/>
        <source>Delete %1 rows</source>
        <translation>删除 %1 行</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="354"/>
        <source>Nothing to save.</source>
        <translation>没有需要保存的内容。</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="360"/>
        <location filename="../models/pagedtablemodeledits.cpp" line="409"/>
        <source>Nothing was saved. %1: %2</source>
        <translation>未保存任何内容。%1：%2</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="362"/>
        <source>(%1 values to fix in all.)</source>
        <translation>（共有 %1 个值需要修正。）</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="384"/>
        <source>Nothing was saved: %1</source>
        <translation>未保存任何内容：%1</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="394"/>
        <source>Nothing was saved. %1: %2 Choose “Keep mine” or “Take theirs” for it.</source>
        <translation>未保存任何内容。%1：%2 请为其选择“保留我的”或“采用他人的”。</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="446"/>
        <source>Saved 1 change.</source>
        <translation>已保存 1 项更改。</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="446"/>
        <source>Saved %1 changes.</source>
        <translation>已保存 %1 项更改。</translation>
    </message>
    <message>
        <location filename="../models/pagedtablemodeledits.cpp" line="500"/>
        <source>Take their values</source>
        <translation>采用他人的值</translation>
    </message>
</context>
<context>
    <name>ccpm::PopupEditor</name>
    <message>
        <location filename="../ui/studio/popupeditor.cpp" line="38"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/studio/popupeditor.cpp" line="39"/>
        <source>Apply (Ctrl+Enter)</source>
        <translation>应用（Ctrl+Enter）</translation>
    </message>
</context>
<context>
    <name>ccpm::QueryHistory</name>
    <message>
        <location filename="../models/queryhistory.cpp" line="47"/>
        <source>The query history cannot be read.</source>
        <translation>无法读取查询历史记录。</translation>
    </message>
    <message>
        <location filename="../models/queryhistory.cpp" line="51"/>
        <source>The query history file is damaged; it will be written anew.</source>
        <translation>查询历史记录文件已损坏，将重新写入。</translation>
    </message>
    <message>
        <location filename="../models/queryhistory.cpp" line="135"/>
        <source>A saved query needs a name.</source>
        <translation>保存的查询需要一个名称。</translation>
    </message>
    <message>
        <location filename="../models/queryhistory.cpp" line="160"/>
        <source>The query history cannot be saved: its folder cannot be made.</source>
        <translation>无法保存查询历史记录：无法创建其所在的文件夹。</translation>
    </message>
    <message>
        <location filename="../models/queryhistory.cpp" line="179"/>
        <location filename="../models/queryhistory.cpp" line="183"/>
        <source>The query history cannot be saved.</source>
        <translation>无法保存查询历史记录。</translation>
    </message>
    <message>
        <location filename="../models/queryhistory.cpp" line="205"/>
        <source>%1

Ran %2%3</source>
        <translation>%1

运行于 %2%3</translation>
    </message>
    <message>
        <location filename="../models/queryhistory.cpp" line="207"/>
        <source> (failed)</source>
        <translation>（失败）</translation>
    </message>
</context>
<context>
    <name>ccpm::QuickSwitcher</name>
    <message>
        <location filename="../ui/quickswitcher.cpp" line="15"/>
        <source>Jump to…</source>
        <translation>跳转到…</translation>
    </message>
    <message>
        <location filename="../ui/quickswitcher.cpp" line="16"/>
        <source>Jump to… (type a view&apos;s name, Enter opens it)</source>
        <translation>跳转到…（输入视图名称，按回车打开）</translation>
    </message>
</context>
<context>
    <name>ccpm::RelationsPanel</name>
    <message>
        <location filename="../ui/studio/relationspanel.cpp" line="161"/>
        <source>Relations</source>
        <translation>关联</translation>
    </message>
    <message>
        <location filename="../ui/studio/relationspanel.cpp" line="163"/>
        <source>Select a row to see what it references and what points at it.</source>
        <translation>选择一行，查看它引用了哪些行，以及哪些行指向它。</translation>
    </message>
    <message>
        <location filename="../ui/studio/relationspanel.cpp" line="168"/>
        <source>Relations of a row of %1</source>
        <translation>%1 中某一行的关联</translation>
    </message>
    <message>
        <location filename="../ui/studio/relationspanel.cpp" line="169"/>
        <source>Relations of %1</source>
        <translation>%1 的关联</translation>
    </message>
    <message>
        <location filename="../ui/studio/relationspanel.cpp" line="171"/>
        <source>This table has no foreign keys, and none point at it.</source>
        <translation>此表没有外键，也没有外键指向它。</translation>
    </message>
    <message>
        <location filename="../ui/studio/relationspanel.cpp" line="178"/>
        <source>References</source>
        <translation>引用</translation>
    </message>
    <message>
        <location filename="../ui/studio/relationspanel.cpp" line="186"/>
        <source>Foreign key %1</source>
        <translation>外键 %1</translation>
    </message>
    <message>
        <location filename="../ui/studio/relationspanel.cpp" line="189"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../ui/studio/relationspanel.cpp" line="190"/>
        <source>NULL: this row references nothing here</source>
        <translation>NULL：此行在这里没有引用任何行</translation>
    </message>
    <message>
        <location filename="../ui/studio/relationspanel.cpp" line="191"/>
        <source>Open the referenced row of %1</source>
        <translation>打开 %1 中被引用的行</translation>
    </message>
    <message>
        <location filename="../ui/studio/relationspanel.cpp" line="204"/>
        <source>Referenced by</source>
        <translation>被引用于</translation>
    </message>
    <message>
        <location filename="../ui/studio/relationspanel.cpp" line="215"/>
        <source>Open %1 filtered to the rows pointing at this one (foreign key %2)</source>
        <translation>打开 %1，并筛选出指向此行的行（外键 %2）</translation>
    </message>
    <message>
        <location filename="../ui/studio/relationspanel.cpp" line="306"/>
        <source>The related rows could not be counted: %1</source>
        <translation>无法统计关联行的数量：%1</translation>
    </message>
</context>
<context>
    <name>ccpm::SavePreviewDialog</name>
    <message>
        <location filename="../ui/studio/savepreviewdialog.cpp" line="61"/>
        <source>Save changes</source>
        <translation>保存更改</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/studio/savepreviewdialog.cpp" line="64"/>
        <source>These %n statement(s) run in one transaction: all of them are saved, or none.</source>
        <translation>
            <numerusform>这 %n 条语句在同一个事务中运行：要么全部保存，要么全部不保存。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ccpm::SchemaDiagramView</name>
    <message>
        <location filename="../ui/studio/schemadiagramitems.cpp" line="63"/>
        <source>enum</source>
        <translation>枚举</translation>
    </message>
    <message>
        <location filename="../ui/studio/schemadiagramitems.cpp" line="108"/>
        <source>%1 — click to open it in Studio</source>
        <translation>%1 — 点击在 Studio 中打开</translation>
    </message>
    <message>
        <location filename="../ui/studio/schemadiagramitems.cpp" line="110"/>
        <source>enum %1</source>
        <translation>枚举 %1</translation>
    </message>
    <message>
        <location filename="../ui/studio/schemadiagramview.cpp" line="92"/>
        <source>Schema </source>
        <translation>模式 </translation>
    </message>
    <message>
        <location filename="../ui/studio/schemadiagramview.cpp" line="108"/>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <location filename="../ui/studio/schemadiagramview.cpp" line="109"/>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <location filename="../ui/studio/schemadiagramview.cpp" line="111"/>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <location filename="../ui/studio/schemadiagramview.cpp" line="113"/>
        <source>Export SVG…</source>
        <translation>导出 SVG…</translation>
    </message>
    <message>
        <location filename="../ui/studio/schemadiagramview.cpp" line="114"/>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/studio/schemadiagramview.cpp" line="148"/>
        <source>Laying out %n table(s)…</source>
        <translation>
            <numerusform>正在布局 %n 个表…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/studio/schemadiagramview.cpp" line="163"/>
        <source>The diagram could not be laid out: %1</source>
        <translation>无法对关系图进行布局：%1</translation>
    </message>
    <message>
        <location filename="../ui/studio/schemadiagramview.cpp" line="180"/>
        <source>%1 has no tables.</source>
        <translation>%1 中没有表。</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/studio/schemadiagramview.cpp" line="181"/>
        <source>%1: %n table(s)</source>
        <translation>
            <numerusform>%1：%n 个表</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/studio/schemadiagramview.cpp" line="182"/>
        <source>%n foreign key(s)</source>
        <translation>
            <numerusform>%n 个外键</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/studio/schemadiagramview.cpp" line="183"/>
        <source>%n enum(s)</source>
        <translation>
            <numerusform>%n 个枚举</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/studio/schemadiagramview.cpp" line="184"/>
        <source>laid out by Graphviz in %1 ms</source>
        <translation>由 Graphviz 布局，用时 %1 毫秒</translation>
    </message>
    <message>
        <location filename="../ui/studio/schemadiagramview.cpp" line="278"/>
        <source>%1 (%2) → %3 (%4) · foreign key %5</source>
        <translation>%1（%2）→ %3（%4）· 外键 %5</translation>
    </message>
    <message>
        <location filename="../ui/studio/schemadiagramview.cpp" line="311"/>
        <location filename="../ui/studio/schemadiagramview.cpp" line="323"/>
        <location filename="../ui/studio/schemadiagramview.cpp" line="343"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location filename="../ui/studio/schemadiagramview.cpp" line="317"/>
        <source>Schema %1</source>
        <translation>模式 %1</translation>
    </message>
    <message>
        <location filename="../ui/studio/schemadiagramview.cpp" line="334"/>
        <source>The diagram is too large for a PNG image.</source>
        <translation>关系图过大，无法导出为 PNG 图像。</translation>
    </message>
    <message>
        <location filename="../ui/studio/schemadiagramview.cpp" line="353"/>
        <source>Export the diagram as SVG</source>
        <translation>将关系图导出为 SVG</translation>
    </message>
    <message>
        <location filename="../ui/studio/schemadiagramview.cpp" line="353"/>
        <source>Export the diagram as PNG</source>
        <translation>将关系图导出为 PNG</translation>
    </message>
    <message>
        <location filename="../ui/studio/schemadiagramview.cpp" line="354"/>
        <source>SVG images (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <location filename="../ui/studio/schemadiagramview.cpp" line="354"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location filename="../ui/studio/schemadiagramview.cpp" line="358"/>
        <source>Saved %1.</source>
        <translation>已保存 %1。</translation>
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
    <name>ccpm::SqlConsoleView</name>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="38"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="39"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="46"/>
        <source>1 row</source>
        <translation>1 行</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="47"/>
        <source>%1 rows</source>
        <translation>%1 行</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="88"/>
        <source>Run a statement with Ctrl+Enter: its result shows here.</source>
        <translation>按 Ctrl+Enter 运行语句：结果将显示在此处。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="99"/>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="100"/>
        <source>no timeout</source>
        <translation>无超时</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="101"/>
        <source>Statement timeout: the server stops a statement that runs longer.</source>
        <translation>语句超时：运行时间超过此值的语句将被服务器终止。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="106"/>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="193"/>
        <source>Commit</source>
        <translation>提交</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="107"/>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="194"/>
        <source>Roll back</source>
        <translation>回滚</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="163"/>
        <source>Running… %1 (Esc cancels)</source>
        <translation>正在运行… %1（按 Esc 取消）</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="183"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="183"/>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="184"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="184"/>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="186"/>
        <source>Write mode</source>
        <translation>写入模式</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="191"/>
        <source>Read-only by default. Write mode (ADMIN only) runs statements in a transaction that waits for Commit or Roll back.</source>
        <translation>默认为只读。写入模式（仅限 ADMIN）在事务中运行语句，该事务会等待提交或回滚。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="196"/>
        <source>Timeout:</source>
        <translation>超时：</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="201"/>
        <source>Count rows</source>
        <translation>统计行数</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="202"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="204"/>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="206"/>
        <source>Save query…</source>
        <translation>保存查询…</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="207"/>
        <source>Saves the editor&apos;s text under a name (on this computer).</source>
        <translation>以指定名称保存编辑器中的文本（保存在本机上）。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="209"/>
        <source>Saved queries</source>
        <translation>已保存的查询</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="277"/>
        <source>Nothing to run: put the cursor in a statement or select one.</source>
        <translation>没有可运行的内容：请将光标置于某条语句中，或选中一条语句。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="290"/>
        <source>Running… (Esc cancels)</source>
        <translation>正在运行…（按 Esc 取消）</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="328"/>
        <source>Plan: executed in %1 ms (planned in %2 ms); the node with the most time of its own is highlighted.</source>
        <translation>执行计划：执行用时 %1 毫秒（规划用时 %2 毫秒）；已突出显示自身耗时最多的节点。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="332"/>
        <source>Plan (estimated, not run); the node with the highest cost of its own is highlighted. EXPLAIN ANALYZE runs it.</source>
        <translation>执行计划（估算值，未实际运行）；已突出显示自身成本最高的节点。使用 EXPLAIN ANALYZE 可实际运行。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="348"/>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="350"/>
        <source>%1 — %2 affected.</source>
        <translation>%1 — 影响了 %2。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="353"/>
        <source>Nothing is saved yet: Commit keeps the changes, Roll back undoes them.</source>
        <translation>尚未保存任何内容：“提交”将保留这些更改，“回滚”将撤销这些更改。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="355"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="355"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="360"/>
        <source>Write transaction open — last: %1. Commit keeps every change since it began; Roll back undoes them.</source>
        <translation>写入事务已打开 — 最近一次：%1。“提交”将保留自事务开始以来的所有更改；“回滚”将撤销这些更改。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="363"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="373"/>
        <source>Detail: %1</source>
        <translation>详细信息：%1</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="375"/>
        <source>Hint: %1</source>
        <translation>提示：%1</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="377"/>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="385"/>
        <source>At line %1, column %2.</source>
        <translation>位于第 %1 行，第 %2 列。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="417"/>
        <source>first %1 rows (more as you scroll; Count rows counts them)</source>
        <translation>前 %1 行（滚动时加载更多；“统计行数”可计算总数）</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="420"/>
        <source>%1 — %2 columns — in %3</source>
        <translation>%1 — %2 列 — 用时 %3</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="421"/>
        <source>%1 — %2 columns — first rows in %3</source>
        <translation>%1 — %2 列 — 首批行用时 %3</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="431"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="440"/>
        <source>Only an ADMIN can switch the console to write mode.</source>
        <translation>只有 ADMIN 才能将控制台切换到写入模式。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="444"/>
        <source>Commit or roll back the open transaction before going back to read-only.</source>
        <translation>请先提交或回滚已打开的事务，然后再切换回只读模式。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="449"/>
        <source>Switch to write mode?</source>
        <translation>切换到写入模式？</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="450"/>
        <source>In write mode, statements can change and delete data. Each change waits in an open transaction until you commit it or roll it back.

Switch to write mode?</source>
        <translation>在写入模式下，语句可以更改和删除数据。每项更改都会在已打开的事务中等待，直到您提交或回滚。

是否切换到写入模式？</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="456"/>
        <source>Write mode: changes wait for Commit or Roll back.</source>
        <translation>写入模式：更改将等待提交或回滚。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="456"/>
        <source>Read-only mode.</source>
        <translation>只读模式。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="465"/>
        <source>Committing…</source>
        <translation>正在提交…</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="470"/>
        <source>Committed.</source>
        <translation>已提交。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="480"/>
        <source>Rolling back…</source>
        <translation>正在回滚…</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="485"/>
        <source>Rolled back: nothing was changed.</source>
        <translation>已回滚：未做任何更改。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="496"/>
        <source>query</source>
        <translation>查询</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="520"/>
        <source>Nothing to save: the editor is empty.</source>
        <translation>没有可保存的内容：编辑器为空。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="525"/>
        <source>Save query</source>
        <translation>保存查询</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="525"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="531"/>
        <source>Saved as “%1”.</source>
        <translation>已保存为“%1”。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="539"/>
        <source>No saved queries yet</source>
        <translation>尚无已保存的查询</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqlconsoleview.cpp" line="550"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
</context>
<context>
    <name>ccpm::SqlEditor</name>
    <message>
        <location filename="../ui/studio/sqleditor.cpp" line="75"/>
        <source>Type SQL here; Ctrl+Enter runs the statement under the cursor or the selection.</source>
        <translation>在此输入 SQL；按 Ctrl+Enter 运行光标所在的语句或所选内容。</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqleditor.cpp" line="131"/>
        <source>table</source>
        <translation>表</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqleditor.cpp" line="139"/>
        <source>column of %1</source>
        <translation>%1 的列</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqleditor.cpp" line="145"/>
        <location filename="../ui/studio/sqleditor.cpp" line="152"/>
        <source>column</source>
        <translation>列</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqleditor.cpp" line="149"/>
        <source>table in %1</source>
        <translation>%1 中的表</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqleditor.cpp" line="154"/>
        <source>schema</source>
        <translation>模式</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqleditor.cpp" line="156"/>
        <source>keyword</source>
        <translation>关键字</translation>
    </message>
    <message>
        <location filename="../ui/studio/sqleditor.cpp" line="262"/>
        <source>The server reported the error here.</source>
        <translation>服务器在此处报告了错误。</translation>
    </message>
</context>
<context>
    <name>ccpm::StatusBar</name>
    <message>
        <location filename="../ui/statusbar.cpp" line="20"/>
        <source>Database: %1</source>
        <translation>数据库：%1</translation>
    </message>
    <message>
        <location filename="../ui/statusbar.cpp" line="22"/>
        <source>Server: …</source>
        <translation>服务器：…</translation>
    </message>
    <message>
        <location filename="../ui/statusbar.cpp" line="23"/>
        <source>Round trip: …</source>
        <translation>往返：…</translation>
    </message>
    <message>
        <location filename="../ui/statusbar.cpp" line="24"/>
        <location filename="../ui/statusbar.cpp" line="103"/>
        <source>Hub: off</source>
        <translation>代理中心：关闭</translation>
    </message>
    <message>
        <location filename="../ui/statusbar.cpp" line="40"/>
        <source>Server: unreachable</source>
        <translation>服务器：无法访问</translation>
    </message>
    <message>
        <location filename="../ui/statusbar.cpp" line="51"/>
        <location filename="../ui/statusbar.cpp" line="85"/>
        <source>Round trip: %1 ms</source>
        <translation>往返：%1 毫秒</translation>
    </message>
    <message>
        <location filename="../ui/statusbar.cpp" line="56"/>
        <source>Database unavailable · retry in %1 s</source>
        <translation>数据库不可用 · %1 秒后重试</translation>
    </message>
    <message>
        <location filename="../ui/statusbar.cpp" line="57"/>
        <source>Database unavailable · retrying…</source>
        <translation>数据库不可用 · 正在重试…</translation>
    </message>
    <message>
        <location filename="../ui/statusbar.cpp" line="88"/>
        <source>Database unreachable</source>
        <translation>数据库无法访问</translation>
    </message>
    <message>
        <location filename="../ui/statusbar.cpp" line="97"/>
        <source>1 agent connected</source>
        <translation>1 个代理已连接</translation>
    </message>
    <message>
        <location filename="../ui/statusbar.cpp" line="97"/>
        <source>%1 agents connected</source>
        <translation>%1 个代理已连接</translation>
    </message>
    <message>
        <location filename="../ui/statusbar.cpp" line="98"/>
        <source>Hub: %1 · %2</source>
        <translation>代理中心：%1 · %2</translation>
    </message>
</context>
<context>
    <name>ccpm::StudioClipboard</name>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="34"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="35"/>
        <source>Copy Row as JSON</source>
        <translation>将行复制为 JSON</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="36"/>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="81"/>
        <location filename="../ui/studio/studioclipboard.cpp" line="101"/>
        <source>Select the cells to copy.</source>
        <translation>请选择要复制的单元格。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="105"/>
        <location filename="../ui/studio/studioclipboard.cpp" line="166"/>
        <source>That is too much for the clipboard: select fewer rows, or export the view.</source>
        <translation>内容过多，无法放入剪贴板：请选择较少的行，或导出视图。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="118"/>
        <source>A selected row is still loading: copy again in a moment.</source>
        <translation>有一个所选行仍在加载：请稍后再复制。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="119"/>
        <source>%1 selected rows are still loading: copy again in a moment.</source>
        <translation>有 %1 个所选行仍在加载：请稍后再复制。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="139"/>
        <source>Copied the cell.</source>
        <translation>已复制该单元格。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="140"/>
        <source>Copied %1 cells as TSV.</source>
        <translation>已将 %1 个单元格复制为 TSV。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="164"/>
        <source>Select the row to copy.</source>
        <translation>请选择要复制的行。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="185"/>
        <source>The selected rows are still loading: copy again in a moment.</source>
        <translation>所选行仍在加载：请稍后再复制。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="201"/>
        <source>Copied 1 row as JSON.</source>
        <translation>已将 1 行复制为 JSON。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="202"/>
        <source>Copied %1 rows as JSON.</source>
        <translation>已将 %1 行复制为 JSON。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="209"/>
        <source>The clipboard is empty.</source>
        <translation>剪贴板为空。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="214"/>
        <source>The clipboard holds no text to paste.</source>
        <translation>剪贴板中没有可粘贴的文本。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="228"/>
        <source>Choose the cell to paste into.</source>
        <translation>请选择要粘贴到的单元格。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="263"/>
        <source>Paste 1 cell</source>
        <translation>粘贴 1 个单元格</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="264"/>
        <source>Paste %1 cells</source>
        <translation>粘贴 %1 个单元格</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="274"/>
        <source>Pasted 1 cell as staged edits.</source>
        <translation>已粘贴 1 个单元格，作为暂存的修改。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="275"/>
        <source>Pasted %1 cells as staged edits.</source>
        <translation>已粘贴 %1 个单元格，作为暂存的修改。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="277"/>
        <source>1 cell skipped: not editable.</source>
        <translation>跳过了 1 个单元格：不可编辑。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="278"/>
        <source>%1 cells skipped: not editable.</source>
        <translation>跳过了 %1 个单元格：不可编辑。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="280"/>
        <source>1 value fell outside the table.</source>
        <translation>有 1 个值超出了表的范围。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioclipboard.cpp" line="281"/>
        <source>%1 values fell outside the table.</source>
        <translation>有 %1 个值超出了表的范围。</translation>
    </message>
</context>
<context>
    <name>ccpm::StudioDelegate</name>
    <message>
        <location filename="../ui/studio/studiodelegate.cpp" line="60"/>
        <source>%1 lines.</source>
        <translation>%1 行。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiodelegate.cpp" line="119"/>
        <source>yyyy-MM-dd HH:mm:ss, local time (UTC%1)</source>
        <translation>yyyy-MM-dd HH:mm:ss，本地时间（UTC%1）</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiodelegate.cpp" line="122"/>
        <source>yyyy-MM-dd HH:mm:ss, no time zone: stored as typed</source>
        <translation>yyyy-MM-dd HH:mm:ss，不带时区：按输入原样存储</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiodelegate.cpp" line="124"/>
        <source>yyyy-MM-dd</source>
        <translation>yyyy-MM-dd</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiodelegate.cpp" line="126"/>
        <source>HH:mm:ss+hh</source>
        <translation>HH:mm:ss+hh</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiodelegate.cpp" line="126"/>
        <source>HH:mm:ss</source>
        <translation>HH:mm:ss</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiodelegate.cpp" line="128"/>
        <source>1 mon 2 days 03:04:05, 90 minutes, P1DT2H</source>
        <translation>1 mon 2 days 03:04:05、90 minutes、P1DT2H</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiodelegate.cpp" line="132"/>
        <source>192.168.0.1, 10.0.0.0/8 or ::1/128</source>
        <translation>192.168.0.1、10.0.0.0/8 或 ::1/128</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiodelegate.cpp" line="134"/>
        <source>a number: 83261.85, -0.000001, 1e-30, NaN</source>
        <translation>数字：83261.85、-0.000001、1e-30、NaN</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiodelegate.cpp" line="136"/>
        <source>a whole number</source>
        <translation>整数</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiodelegate.cpp" line="182"/>
        <source>no zone</source>
        <translation>无时区</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiodelegate.cpp" line="361"/>
        <location filename="../ui/studio/studiodelegate.cpp" line="393"/>
        <source>Set to NULL</source>
        <translation>设为 NULL</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiodelegate.cpp" line="363"/>
        <location filename="../ui/studio/studiodelegate.cpp" line="393"/>
        <source>Set to DEFAULT</source>
        <translation>设为 DEFAULT</translation>
    </message>
</context>
<context>
    <name>ccpm::StudioSidebar</name>
    <message>
        <location filename="../ui/studio/studiosidebar.cpp" line="36"/>
        <source>Jump to table…</source>
        <translation>跳转到表…</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiosidebar.cpp" line="38"/>
        <source>Search tables (Ctrl+P jumps)</source>
        <translation>搜索表（Ctrl+P 跳转）</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiosidebar.cpp" line="147"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiosidebar.cpp" line="149"/>
        <source>Cancel count</source>
        <translation>取消计数</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiosidebar.cpp" line="151"/>
        <source>Count rows exactly</source>
        <translation>精确计算行数</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiosidebar.cpp" line="153"/>
        <source>Copy qualified name</source>
        <translation>复制限定名称</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiosidebar.cpp" line="220"/>
        <source>Jump to table</source>
        <translation>跳转到表</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiosidebar.cpp" line="220"/>
        <source>Jump to table… (type part of its name, Enter opens it)</source>
        <translation>跳转到表…（输入其名称的一部分，按回车打开）</translation>
    </message>
</context>
<context>
    <name>ccpm::StudioView</name>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="156"/>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="157"/>
        <source>Discard</source>
        <translation>放弃</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="163"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="167"/>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="172"/>
        <source>Add row</source>
        <translation>添加行</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="178"/>
        <source>Delete rows</source>
        <translation>删除行</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/studio/studioview.cpp" line="186"/>
        <source>Delete %n row(s)</source>
        <translation>
            <numerusform>删除 %n 行</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="191"/>
        <source>Set NULL</source>
        <translation>设为 NULL</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="193"/>
        <source>Set DEFAULT</source>
        <translation>设为 DEFAULT</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="197"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="198"/>
        <source>Diagram</source>
        <translation>关系图</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="200"/>
        <source>Open referenced row</source>
        <translation>打开被引用的行</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="207"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="235"/>
        <source>Cannot read the database&apos;s tables: %1</source>
        <translation>无法读取数据库中的表：%1</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="255"/>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="256"/>
        <source>%1 has changes that are not saved. Discard them?</source>
        <translation>%1 有未保存的更改。是否放弃这些更改？</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="304"/>
        <source>Row %1</source>
        <translation>第 %1 行</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="585"/>
        <source>Read-only: Studio edits need the ADMIN role.</source>
        <translation>只读：在 Studio 中编辑需要 ADMIN 角色。</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/studio/studioview.cpp" line="627"/>
        <source>%n statement(s) to save</source>
        <translation>
            <numerusform>%n 条语句待保存</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="637"/>
        <source>Schema diagram</source>
        <translation>模式关系图</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="434"/>
        <source>Hide “%1”</source>
        <translation>隐藏“%1”</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="100"/>
        <source>Table</source>
        <translation>表</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="101"/>
        <location filename="../ui/studio/studioview.cpp" line="204"/>
        <source>SQL console</source>
        <translation>SQL 控制台</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="103"/>
        <source>Run SQL on this database (%1)</source>
        <translation>在此数据库上运行 SQL（%1）</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="435"/>
        <source>Sort by “%1”, then by the current keys</source>
        <translation>按“%1”排序，然后按当前排序键排序</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="444"/>
        <source>Clear the sort</source>
        <translation>清除排序</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="445"/>
        <source>Columns</source>
        <translation>列</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="455"/>
        <source>Show all</source>
        <translation>全部显示</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="459"/>
        <source>Fit widths to contents</source>
        <translation>按内容调整列宽</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="488"/>
        <source>%1 is not part of a foreign key.</source>
        <translation>%1 不属于任何外键。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="492"/>
        <source>%1 is NULL here: it refers to no row.</source>
        <translation>此处 %1 为 NULL：它没有引用任何行。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="546"/>
        <source>Set to DEFAULT</source>
        <translation>设为 DEFAULT</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="546"/>
        <source>Set to NULL</source>
        <translation>设为 NULL</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/studio/studioview.cpp" line="558"/>
        <source>%n cell(s) left as they were: no default, or not editable.</source>
        <translation>
            <numerusform>%n 个单元格保持不变：没有默认值，或不可编辑。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/studio/studioview.cpp" line="559"/>
        <source>%n cell(s) left as they were: NOT NULL, or not editable.</source>
        <translation>
            <numerusform>%n 个单元格保持不变：NOT NULL，或不可编辑。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="615"/>
        <source>Choose a table on the left (Ctrl+P).</source>
        <translation>请在左侧选择一个表（Ctrl+P）。</translation>
    </message>
    <message>
        <location filename="../ui/studio/studioview.cpp" line="624"/>
        <source>sorted by %1</source>
        <translation>按 %1 排序</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) not saved</source>
        <translation type="vanished">
            <numerusform>%n 项更改未保存</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ccpm::StudioWindow</name>
    <message>
        <location filename="../ui/studio/studiowindow.cpp" line="16"/>
        <source>CCPM Desk Studio — %1</source>
        <translation>CCPM Desk Studio — %1</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiowindow.cpp" line="18"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiowindow.cpp" line="19"/>
        <source>Reload the table list</source>
        <translation>重新加载表列表</translation>
    </message>
    <message>
        <location filename="../ui/studio/studiowindow.cpp" line="21"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
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
        <location filename="../ui/tablepage.cpp" line="111"/>
        <source>Only %1 = “%2”</source>
        <translation>仅 %1 = “%2”</translation>
    </message>
    <message>
        <location filename="../ui/tablepage.cpp" line="116"/>
        <source>Only rows where %1 is empty</source>
        <translation>仅显示 %1 为空的行</translation>
    </message>
    <message>
        <location filename="../ui/tablepage.cpp" line="119"/>
        <source>Only rows where %1 is set</source>
        <translation>仅显示 %1 有值的行</translation>
    </message>
    <message>
        <location filename="../ui/tablepage.cpp" line="124"/>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <location filename="../ui/tablepage.cpp" line="156"/>
        <source>%1 + %2 new</source>
        <translation>%1 + 新增 %2 行</translation>
    </message>
    <message>
        <location filename="../ui/tablepage.cpp" line="158"/>
        <source>%1, filtered</source>
        <translation>%1，已筛选</translation>
    </message>
    <message>
        <location filename="../ui/tablepage.cpp" line="159"/>
        <source>%1, %2 filters</source>
        <translation>%1，%2 个筛选条件</translation>
    </message>
    <message>
        <location filename="../ui/tablepage.cpp" line="161"/>
        <source>%1 · unsaved changes (Ctrl+S saves)</source>
        <translation>%1 · 有未保存的更改（按 Ctrl+S 保存）</translation>
    </message>
</context>
<context>
    <name>ccpm::TaskBoardView</name>
    <message>
        <location filename="../ui/taskboardview.cpp" line="50"/>
        <source>Pending</source>
        <translation>待处理</translation>
    </message>
    <message>
        <location filename="../ui/taskboardview.cpp" line="52"/>
        <source>Assigned</source>
        <translation>已分配</translation>
    </message>
    <message>
        <location filename="../ui/taskboardview.cpp" line="54"/>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../ui/taskboardview.cpp" line="56"/>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../ui/taskboardview.cpp" line="58"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../ui/taskboardview.cpp" line="236"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location filename="../ui/taskboardview.cpp" line="301"/>
        <source>“%1” is now %2.</source>
        <translation>“%1”现在为%2。</translation>
    </message>
</context>
<context>
    <name>ccpm::TaskCardDelegate</name>
    <message>
        <location filename="../ui/taskcarddelegate.cpp" line="70"/>
        <source>unassigned</source>
        <translation>未分配</translation>
    </message>
    <message>
        <location filename="../ui/taskcarddelegate.cpp" line="73"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location filename="../ui/taskcarddelegate.cpp" line="85"/>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
</context>
<context>
    <name>ccpm::TaskDialog</name>
    <message>
        <location filename="../ui/taskdialog.cpp" line="28"/>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="30"/>
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="32"/>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="41"/>
        <source>Pending</source>
        <translation>待处理</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="43"/>
        <source>Assigned</source>
        <translation>已分配</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="45"/>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="47"/>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="49"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="69"/>
        <source>New task</source>
        <translation>新建任务</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="69"/>
        <source>Edit task</source>
        <translation>编辑任务</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="77"/>
        <source>Comma-separated, e.g. testing, deployment</source>
        <translation>以逗号分隔，例如 testing, deployment</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="78"/>
        <source>Hours, e.g. 4 or 2.5 (optional)</source>
        <translation>小时数，例如 4 或 2.5（可选）</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="90"/>
        <source>&amp;Title:</source>
        <translation>标题(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="91"/>
        <source>&amp;Description:</source>
        <translation>描述(&amp;D)：</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="92"/>
        <source>&amp;Priority:</source>
        <translation>优先级(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="93"/>
        <source>T&amp;ags:</source>
        <translation>标签(&amp;A)：</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="94"/>
        <source>&amp;Estimated hours:</source>
        <translation>预计工时(&amp;E)：</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="106"/>
        <source>Progress:</source>
        <translation>进度：</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="107"/>
        <source>State:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="109"/>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="114"/>
        <source>Message to the task&apos;s agent (Ctrl+Enter sends)</source>
        <translation>发给任务代理的消息（Ctrl+Enter 发送）</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="117"/>
        <source>Se&amp;nd</source>
        <translation>发送(&amp;N)</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="213"/>
        <source>Enter a number of hours, such as 4 or 2.5.</source>
        <translation>请输入小时数，例如 4 或 2.5。</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="250"/>
        <source>, no agent</source>
        <translation>，无代理</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="250"/>
        <source>, agent %1</source>
        <translation>，代理 %1</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="252"/>
        <source>, completed %1</source>
        <translation>，完成于 %1</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="271"/>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="272"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location filename="../ui/taskdialog.cpp" line="274"/>
        <source>[%1] %2</source>
        <translation>[%1] %2</translation>
    </message>
</context>
<context>
    <name>ccpm::TaskFilterBar</name>
    <message>
        <location filename="../ui/taskfilterbar.cpp" line="22"/>
        <source>Any status</source>
        <translation>任意状态</translation>
    </message>
    <message>
        <location filename="../ui/taskfilterbar.cpp" line="23"/>
        <source>Pending</source>
        <translation>待处理</translation>
    </message>
    <message>
        <location filename="../ui/taskfilterbar.cpp" line="23"/>
        <source>Assigned</source>
        <translation>已分配</translation>
    </message>
    <message>
        <location filename="../ui/taskfilterbar.cpp" line="23"/>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../ui/taskfilterbar.cpp" line="23"/>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../ui/taskfilterbar.cpp" line="24"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../ui/taskfilterbar.cpp" line="28"/>
        <source>Any priority</source>
        <translation>任意优先级</translation>
    </message>
    <message>
        <location filename="../ui/taskfilterbar.cpp" line="29"/>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <location filename="../ui/taskfilterbar.cpp" line="29"/>
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <location filename="../ui/taskfilterbar.cpp" line="29"/>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../ui/taskfilterbar.cpp" line="33"/>
        <source>Assignee</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../ui/taskfilterbar.cpp" line="34"/>
        <source>Creator</source>
        <translation>创建者</translation>
    </message>
    <message>
        <location filename="../ui/taskfilterbar.cpp" line="35"/>
        <source>Search title and description (Ctrl+F)</source>
        <translation>搜索标题和描述 (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../ui/taskfilterbar.cpp" line="50"/>
        <source>Filter:</source>
        <translation>筛选：</translation>
    </message>
</context>
<context>
    <name>ccpm::TasksPage</name>
    <message>
        <location filename="../ui/taskspage.cpp" line="36"/>
        <source>&amp;New task…</source>
        <translation>新建任务(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../ui/taskspage.cpp" line="37"/>
        <location filename="../ui/taskspage.cpp" line="68"/>
        <source>&amp;Edit task…</source>
        <translation>编辑任务(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../ui/taskspage.cpp" line="38"/>
        <location filename="../ui/taskspage.cpp" line="69"/>
        <source>&amp;Assign…</source>
        <translation>分配(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../ui/taskspage.cpp" line="47"/>
        <source>Board</source>
        <translation>看板</translation>
    </message>
    <message>
        <location filename="../ui/taskspage.cpp" line="48"/>
        <source>Table</source>
        <translation>表格</translation>
    </message>
    <message>
        <location filename="../ui/taskspage.cpp" line="130"/>
        <source>Task “%1” created.</source>
        <translation>任务“%1”已创建。</translation>
    </message>
    <message>
        <location filename="../ui/taskspage.cpp" line="137"/>
        <location filename="../ui/taskspage.cpp" line="150"/>
        <source>Select a task first.</source>
        <translation>请先选择一个任务。</translation>
    </message>
    <message>
        <location filename="../ui/taskspage.cpp" line="143"/>
        <source>Task “%1” saved.</source>
        <translation>任务“%1”已保存。</translation>
    </message>
    <message>
        <location filename="../ui/taskspage.cpp" line="162"/>
        <source>“%1” is unassigned.</source>
        <translation>“%1”已取消分配。</translation>
    </message>
    <message>
        <location filename="../ui/taskspage.cpp" line="163"/>
        <source>“%1” is assigned to %2.</source>
        <translation>“%1”已分配给 %2。</translation>
    </message>
</context>
<context>
    <name>ccpm::UserDialog</name>
    <message>
        <location filename="../ui/userdialog.cpp" line="40"/>
        <source>&amp;Username:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <location filename="../ui/userdialog.cpp" line="41"/>
        <source>&amp;E-mail:</source>
        <translation>电子邮件(&amp;E)：</translation>
    </message>
    <message>
        <location filename="../ui/userdialog.cpp" line="44"/>
        <source>User (manager)</source>
        <translation>用户（经理）</translation>
    </message>
    <message>
        <location filename="../ui/userdialog.cpp" line="45"/>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../ui/userdialog.cpp" line="47"/>
        <source>&amp;Role:</source>
        <translation>角色(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../ui/userdialog.cpp" line="51"/>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../ui/userdialog.cpp" line="51"/>
        <source>New &amp;password:</source>
        <translation>新密码(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../ui/userdialog.cpp" line="53"/>
        <source>at least %1 characters</source>
        <translation>至少 %1 个字符</translation>
    </message>
    <message>
        <location filename="../ui/userdialog.cpp" line="54"/>
        <source>&amp;Confirm:</source>
        <translation>确认(&amp;C)：</translation>
    </message>
    <message>
        <location filename="../ui/userdialog.cpp" line="59"/>
        <source>New user</source>
        <translation>新建用户</translation>
    </message>
    <message>
        <location filename="../ui/userdialog.cpp" line="62"/>
        <source>Edit user %1</source>
        <translation>编辑用户 %1</translation>
    </message>
    <message>
        <location filename="../ui/userdialog.cpp" line="64"/>
        <source>Reset &amp;password…</source>
        <translation>重置密码(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../ui/userdialog.cpp" line="71"/>
        <source>Reset the password of %1</source>
        <translation>重置 %1 的密码</translation>
    </message>
    <message>
        <location filename="../ui/userdialog.cpp" line="74"/>
        <source>Set password</source>
        <translation>设置密码</translation>
    </message>
    <message>
        <location filename="../ui/userdialog.cpp" line="74"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../ui/userdialog.cpp" line="83"/>
        <source>Setting a new password also ends all of %1&apos;s sessions.</source>
        <translation>设置新密码也会结束 %1 的所有会话。</translation>
    </message>
    <message>
        <location filename="../ui/userdialog.cpp" line="183"/>
        <source>A password needs at least %1 characters.</source>
        <translation>密码至少需要 %1 个字符。</translation>
    </message>
    <message>
        <location filename="../ui/userdialog.cpp" line="191"/>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
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
        <location filename="../models/entityspecs.cpp" line="96"/>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="98"/>
        <source>Email</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="103"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="106"/>
        <location filename="../models/entityspecs.cpp" line="130"/>
        <location filename="../models/entityspecs.cpp" line="166"/>
        <location filename="../models/entityspecs.cpp" line="192"/>
        <location filename="../models/entityspecs.cpp" line="210"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="107"/>
        <location filename="../models/entityspecs.cpp" line="131"/>
        <location filename="../models/entityspecs.cpp" line="167"/>
        <location filename="../models/entityspecs.cpp" line="193"/>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="117"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="119"/>
        <source>Capabilities</source>
        <translation>能力</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="125"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="126"/>
        <location filename="../models/entityspecs.cpp" line="158"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="128"/>
        <location filename="../models/entityspecs.cpp" line="165"/>
        <location filename="../models/entityspecs.cpp" line="191"/>
        <source>Metadata</source>
        <translation>元数据</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="129"/>
        <source>Last seen</source>
        <translation>最后在线</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="142"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="145"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="148"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="159"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="160"/>
        <source>Assignee</source>
        <translation>负责代理</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="162"/>
        <source>Created by</source>
        <translation>创建者</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="168"/>
        <source>Completed</source>
        <translation>完成时间</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="180"/>
        <source>Content</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="185"/>
        <source>Sender type</source>
        <translation>发送者类型</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="186"/>
        <source>Sender</source>
        <translation>发送者</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="187"/>
        <source>Receiver type</source>
        <translation>接收者类型</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="188"/>
        <source>Receiver</source>
        <translation>接收者</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="189"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="207"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../models/entityspecs.cpp" line="209"/>
        <source>Expires</source>
        <translation>过期时间</translation>
    </message>
</context>
<context>
    <name>ccpm::studiofilter</name>
    <message>
        <location filename="../models/studiofilter.cpp" line="239"/>
        <source>&apos;%1&apos; is not a whole number.</source>
        <translation>“%1”不是整数。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="244"/>
        <source>%1 is out of range (%2 to %3).</source>
        <translation>%1 超出范围（%2 到 %3）。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="259"/>
        <source>&apos;%1&apos; is not a number.</source>
        <translation>“%1”不是数字。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="273"/>
        <source>%1 is out of range for %2.</source>
        <translation>%1 超出了 %2 的范围。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="278"/>
        <source>%1 is out of range for a number.</source>
        <translation>%1 超出了数字的范围。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="291"/>
        <source>&apos;%1&apos; is not true or false.</source>
        <translation>“%1”不是 true 或 false。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="306"/>
        <source>&apos;%1&apos; is not one of %2.</source>
        <translation>“%1”不是 %2 之一。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="318"/>
        <source>&apos;%1&apos; is not a UUID such as 123e4567-e89b-12d3-a456-426614174000.</source>
        <translation>“%1”不是 UUID（例如 123e4567-e89b-12d3-a456-426614174000）。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="327"/>
        <source>&apos;%1&apos; is not a date such as 2026-11-29.</source>
        <translation>“%1”不是日期（例如 2026-11-29）。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="349"/>
        <source>&apos;%1&apos; is not a time such as 18:30 or 18:30:00.</source>
        <translation>“%1”不是时间（例如 18:30 或 18:30:00）。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="366"/>
        <source>&apos;%1&apos; is not a date and time such as 2026-11-29 18:30:00.</source>
        <translation>“%1”不是日期和时间（例如 2026-11-29 18:30:00）。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="393"/>
        <source>&apos;%1&apos; is not an interval such as 1 day 02:00:00 or 3 hours.</source>
        <translation>“%1”不是时间间隔（例如 1 day 02:00:00 或 3 hours）。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="423"/>
        <source>%1 is out of range for an interval.</source>
        <translation>%1 超出了时间间隔的范围。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="477"/>
        <source>&apos;%1&apos; is not an IP address such as 192.168.0.1 or 10.0.0.0/8.</source>
        <translation>“%1”不是 IP 地址（例如 192.168.0.1 或 10.0.0.0/8）。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="486"/>
        <source>&apos;%1&apos; is not bytes in hex such as \x0a1b.</source>
        <translation>“%1”不是十六进制字节（例如 \x0a1b）。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="494"/>
        <source>JSON cannot hold the character \u0000.</source>
        <translation>JSON 不能包含字符 \u0000。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="496"/>
        <source>&apos;%1&apos; is not JSON (a string needs double quotes: &quot;text&quot;).</source>
        <translation>“%1”不是 JSON（字符串需要用双引号括起来：&quot;text&quot;）。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="599"/>
        <location filename="../models/studiofilter.cpp" line="632"/>
        <source>contains</source>
        <translation>包含</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="601"/>
        <location filename="../models/studiofilter.cpp" line="634"/>
        <source>starts with</source>
        <translation>开头是</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="603"/>
        <source>in</source>
        <translation>属于</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="605"/>
        <location filename="../models/studiofilter.cpp" line="638"/>
        <source>is null</source>
        <translation>为 NULL</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="607"/>
        <location filename="../models/studiofilter.cpp" line="640"/>
        <source>is not null</source>
        <translation>不为 NULL</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="609"/>
        <location filename="../models/studiofilter.cpp" line="642"/>
        <source>has key</source>
        <translation>包含键</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="620"/>
        <source>=  equals</source>
        <translation>=  等于</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="622"/>
        <source>≠  does not equal</source>
        <translation>≠  不等于</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="624"/>
        <source>&lt;  less than</source>
        <translation>&lt;  小于</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="626"/>
        <source>≤  at most</source>
        <translation>≤  小于或等于</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="628"/>
        <source>&gt;  greater than</source>
        <translation>&gt;  大于</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="630"/>
        <source>≥  at least</source>
        <translation>≥  大于或等于</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="636"/>
        <source>in list</source>
        <translation>属于列表</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="644"/>
        <source>path equals</source>
        <translation>路径等于</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="646"/>
        <source>contains element</source>
        <translation>包含元素</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="661"/>
        <source>There is no column &apos;%1&apos; in %2.</source>
        <translation>%2 中没有列“%1”。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="666"/>
        <source>&apos;%1&apos; does not apply to this column.</source>
        <translation>“%1”不适用于此列。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="669"/>
        <source>a value cannot hold the character NUL.</source>
        <translation>值不能包含字符 NUL。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="685"/>
        <source>type the text to look for.</source>
        <translation>请输入要查找的文本。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="689"/>
        <source>type the key to look for.</source>
        <translation>请输入要查找的键。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="693"/>
        <source>type a path such as address.city or items.0.name.</source>
        <translation>请输入路径，例如 address.city 或 items.0.name。</translation>
    </message>
    <message>
        <location filename="../models/studiofilter.cpp" line="697"/>
        <source>type at least one value for the list.</source>
        <translation>请为列表至少输入一个值。</translation>
    </message>
    <message numerus="yes">
        <location filename="../models/studiofilter.cpp" line="772"/>
        <source>%n more</source>
        <translation>
            <numerusform>还有 %n 项</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ccpm::studiofilter::LineParser</name>
    <message>
        <location filename="../models/studiofilterline.cpp" line="39"/>
        <source>Type a filter such as price &gt;= 10 and status in (A, B).</source>
        <translation>请输入筛选条件，例如 price &gt;= 10 and status in (A, B)。</translation>
    </message>
    <message>
        <location filename="../models/studiofilterline.cpp" line="55"/>
        <source>Expected and or or before &apos;%1&apos;.</source>
        <translation>“%1”之前应为 and 或 or。</translation>
    </message>
    <message>
        <location filename="../models/studiofilterline.cpp" line="57"/>
        <source>Use either and or or between filters, not both.</source>
        <translation>筛选条件之间请只使用 and 或 or 中的一种，不要混用。</translation>
    </message>
    <message>
        <location filename="../models/studiofilterline.cpp" line="129"/>
        <source>A column name in double quotes is not closed.</source>
        <translation>双引号中的列名缺少右引号。</translation>
    </message>
    <message>
        <location filename="../models/studiofilterline.cpp" line="135"/>
        <source>Expected a column name at &apos;%1&apos;.</source>
        <translation>“%1”处应为列名。</translation>
    </message>
    <message>
        <location filename="../models/studiofilterline.cpp" line="154"/>
        <source>A quoted value is not closed.</source>
        <translation>带引号的值缺少右引号。</translation>
    </message>
    <message>
        <location filename="../models/studiofilterline.cpp" line="165"/>
        <source>Expected a value at &apos;%1&apos;.</source>
        <translation>“%1”处应为值。</translation>
    </message>
    <message>
        <location filename="../models/studiofilterline.cpp" line="178"/>
        <source>There is no column &apos;%1&apos; in %2.</source>
        <translation>%2 中没有列“%1”。</translation>
    </message>
    <message>
        <location filename="../models/studiofilterline.cpp" line="190"/>
        <source>Expected = after the path of %1.</source>
        <translation>%1 的路径之后应为 =。</translation>
    </message>
    <message>
        <location filename="../models/studiofilterline.cpp" line="234"/>
        <source>Expected an operator after %1 (=, ≠, &lt;, ≤, &gt;, ≥, contains, starts with, in, is null, has key) at &apos;%2&apos;.</source>
        <translation>%1 之后的“%2”处应为运算符（=、≠、&lt;、≤、&gt;、≥、contains、starts with、in、is null、has key）。</translation>
    </message>
    <message>
        <location filename="../models/studiofilterline.cpp" line="247"/>
        <source>Expected ( after in, as in status in (A, B).</source>
        <translation>in 之后应为 (，例如 status in (A, B)。</translation>
    </message>
    <message>
        <location filename="../models/studiofilterline.cpp" line="263"/>
        <source>Expected , or ) in the list of %1.</source>
        <translation>%1 的列表中应为 , 或 )。</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>CCPM Desk: the desktop control centre for the ccpm multi-agent collaboration database.

Commands (without one, the window opens):
  db status                     list applied and pending migrations
  db migrate                    apply pending migrations
  db seed --demo                write the demo data into an empty database
  db seed --scale N             add N synthetic tasks (N/1000 agents, 5N messages)
  db connect &lt;url&gt;|--embedded   save the database to use from now on
  agent token create &lt;agent&gt;    print a new access token for an agent (name or id)
  hub                           run the agent hub without a window</source>
        <translation type="vanished">CCPM Desk：ccpm 多代理协作数据库的桌面控制中心。

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
        <source>CCPM Desk: the desktop control centre for the ccpm multi-agent collaboration database.

Commands (without one, the window opens):
  db status                     list applied and pending migrations
  db migrate                    apply pending migrations
  db seed --demo                write the demo data into an empty database
  db seed --scale N             add N synthetic tasks (N/1000 agents, 5N messages)
  db connect &lt;url&gt;|--embedded   save the database to use from now on
  agent token create &lt;agent&gt;    print a new access token for an agent (name or id)
  hub                           run the agent hub without a window
  studio [--table T]            browse and edit any PostgreSQL database (--database-url)
  studio --list-tables          print every table of any PostgreSQL database (columns,
                                primary key, estimated rows); reads only</source>
        <translation>CCPM Desk：ccpm 多代理协作数据库的桌面控制中心。

命令（不带命令时打开窗口）：
  db status                     列出已应用和待应用的迁移
  db migrate                    应用待应用的迁移
  db seed --demo                将演示数据写入空数据库
  db seed --scale N             添加 N 个合成任务（N/1000 个代理，5N 条消息）
  db connect &lt;url&gt;|--embedded   保存今后要使用的数据库
  agent token create &lt;agent&gt;    为代理输出新的访问令牌（名称或 ID）
  hub                           不打开窗口，仅运行代理中心
  studio [--table T]            浏览和编辑任意 PostgreSQL 数据库（--database-url）
  studio --list-tables          输出任意 PostgreSQL 数据库的所有表（列、主键、
                                估计行数）；只读</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="74"/>
        <source>PostgreSQL URL (postgresql://user:password@host:5432/ccpm?schema=public). Default: DATABASE_URL, the saved setting, the embedded database.</source>
        <translation>PostgreSQL URL（postgresql://user:password@host:5432/ccpm?schema=public）。默认依次使用：DATABASE_URL、已保存的设置、内置数据库。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="80"/>
        <source>Agent hub port (default 8765, 0 turns it off).</source>
        <translation>代理中心端口（默认 8765，0 表示关闭）。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="84"/>
        <source>Agent hub address (default 127.0.0.1).</source>
        <translation>代理中心地址（默认 127.0.0.1）。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="88"/>
        <source>PEM certificate (chain) for wss:// agent connections.</source>
        <translation>用于 wss:// 代理连接的 PEM 证书（链）。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="92"/>
        <source>PEM private key of --hub-tls-cert.</source>
        <translation>--hub-tls-cert 对应的 PEM 私钥。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="95"/>
        <source>Allow plain ws:// on a non-loopback --hub-address (tokens cross the network unencrypted).</source>
        <translation>允许在非回环的 --hub-address 上使用明文 ws://（令牌将以未加密形式在网络中传输）。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="98"/>
        <source>With &apos;db seed&apos;: the demo data.</source>
        <translation>与 &apos;db seed&apos; 配合使用：写入演示数据。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="100"/>
        <source>With &apos;db seed&apos;: N synthetic tasks, N/1000 agents and 5N messages.</source>
        <translation>与 &apos;db seed&apos; 配合使用：N 个合成任务、N/1000 个代理和 5N 条消息。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="106"/>
        <source>With &apos;db connect&apos;: use the embedded database.</source>
        <translation>与 &apos;db connect&apos; 配合使用：使用内置数据库。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="109"/>
        <source>With &apos;agent token create&apos;: a label for the token.</source>
        <translation>与 &apos;agent token create&apos; 配合使用：令牌的标签。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="113"/>
        <source>With &apos;studio&apos;: print the tables, then exit (writes nothing).</source>
        <translation>与 &apos;studio&apos; 配合使用：输出所有表，然后退出（不写入任何内容）。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="116"/>
        <source>User interface language (en, zh_CN), instead of the system&apos;s.</source>
        <translation>用户界面语言（en、zh_CN），代替系统语言。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="129"/>
        <source>With &apos;studio&apos;: open this table first (name or schema.name).</source>
        <translation>与 &apos;studio&apos; 配合使用：首先打开此表（名称或 schema.name）。</translation>
    </message>
</context>
</TS>
