<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Qwen Bridge — DEMO</source>
        <translation>关于 Qwen Bridge — 演示 DEMO</translation>
    </message>
    <message>
        <source>About Qwen Bridge</source>
        <translation>关于 Qwen Bridge</translation>
    </message>
    <message>
        <source>Qwen Bridge (DEMO)</source>
        <translation>Qwen Bridge（演示 DEMO）</translation>
    </message>
    <message>
        <source>Qwen Bridge</source>
        <translation>Qwen Bridge</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>版本 %1</translation>
    </message>
    <message>
        <source>Signs you in to your Qwen account and lets OpenCode use Qwen models through a proxy that only this computer can reach.</source>
        <translation>登录您的 Qwen 账号，并让 OpenCode 通过一个只有本机才能访问的代理使用 Qwen 模型。</translation>
    </message>
    <message>
        <source>Where things are kept</source>
        <translation>文件存放位置</translation>
    </message>
    <message>
        <source>Settings:</source>
        <translation>设置：</translation>
    </message>
    <message>
        <source>Logs:</source>
        <translation>日志：</translation>
    </message>
    <message>
        <source>Request logs:</source>
        <translation>请求日志：</translation>
    </message>
    <message>
        <source>The system keychain, under the name “%1”</source>
        <translation>系统钥匙串，名称为“%1”</translation>
    </message>
    <message>
        <source>Sign-in and local key:</source>
        <translation>登录信息和本地密钥：</translation>
    </message>
    <message>
        <source>OpenCode configuration:</source>
        <translation>OpenCode 配置：</translation>
    </message>
    <message>
        <source>Start at login:</source>
        <translation>登录时启动：</translation>
    </message>
</context>
<context>
    <name>AccountIndex</name>
    <message>
        <source>&quot;%1&quot; cannot name a credential: use 1 to %2 letters, digits, dots, dashes or underscores, starting with a letter or a digit (for example &quot;work&quot; or &quot;coding-plan&quot;).</source>
        <translation>“%1”不能用作凭据名称：请使用 1 到 %2 个字母、数字、点、短横线或下划线，并以字母或数字开头（例如“work”或“coding-plan”）。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is reserved; choose another name.</source>
        <translation>“%1”是保留名称；请另选一个名称。</translation>
    </message>
    <message>
        <source>There is no credential named &quot;%1&quot;.</source>
        <translation>没有名为“%1”的凭据。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is named twice.</source>
        <translation>“%1”出现了两次。</translation>
    </message>
    <message>
        <source>A credential named &quot;%1&quot; exists already.</source>
        <translation>名为“%1”的凭据已存在。</translation>
    </message>
</context>
<context>
    <name>AccountPool</name>
    <message>
        <source>Qwen account (OAuth)</source>
        <translation>Qwen 账号（OAuth）</translation>
    </message>
    <message>
        <source>usable, serving</source>
        <translation>可用，正在服务</translation>
    </message>
    <message>
        <source>usable</source>
        <translation>可用</translation>
    </message>
    <message>
        <source>cooling down until %1</source>
        <translation>冷却中，%1 恢复</translation>
    </message>
    <message>
        <source>used up until %1</source>
        <translation>已用完，%1 恢复</translation>
    </message>
    <message>
        <source>needs sign-in</source>
        <translation>需要登录</translation>
    </message>
    <message>
        <source>Nothing is stored for this credential. Sign in again.</source>
        <translation>此凭据没有保存任何内容。请重新登录。</translation>
    </message>
    <message>
        <source>The credential &quot;%1&quot; was removed.</source>
        <translation>凭据“%1”已被删除。</translation>
    </message>
    <message>
        <source>Every credential is used up or resting. The first back is &quot;%1&quot;, at %2.</source>
        <translation>所有凭据都已用完或正在冷却。最先恢复的是“%1”，时间为 %2。</translation>
    </message>
</context>
<context>
    <name>AccountStore</name>
    <message>
        <source>There is no credential named &quot;%1&quot;. `qwen-bridge accounts` lists them.</source>
        <translation>没有名为“%1”的凭据。`qwen-bridge accounts` 会列出所有凭据。</translation>
    </message>
</context>
<context>
    <name>AccountsMenu</name>
    <message>
        <source>Accounts</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>nothing stored</source>
        <translation>未保存任何内容</translation>
    </message>
    <message>
        <source>Use first</source>
        <translation>优先使用</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Add API key…</source>
        <translation>添加 API 密钥…</translation>
    </message>
    <message>
        <source>Add Qwen account…</source>
        <translation>添加 Qwen 账号…</translation>
    </message>
    <message>
        <source>Add the credential “%1”</source>
        <translation>添加凭据“%1”</translation>
    </message>
    <message>
        <source>Add API key</source>
        <translation>添加 API 密钥</translation>
    </message>
    <message>
        <source>Add Qwen account</source>
        <translation>添加 Qwen 账号</translation>
    </message>
    <message>
        <source>A name for the new credential (for example “work” or “coding-plan”):</source>
        <translation>新凭据的名称（例如“work”或“coding-plan”）：</translation>
    </message>
    <message>
        <source>Rename “%1”</source>
        <translation>重命名“%1”</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
    <message>
        <source>Remove “%1”?</source>
        <translation>删除“%1”？</translation>
    </message>
    <message>
        <source>Remove the credential “%1” and its secret from the keychain? Requests under way finish; new ones go to the next credential.</source>
        <translation>要从钥匙串中删除凭据“%1”及其机密吗？进行中的请求会完成；新请求将交给下一个凭据。</translation>
    </message>
</context>
<context>
    <name>ApiKeyCheck</name>
    <message>
        <source>Could not reach %1 to check the key: %2</source>
        <translation>无法连接 %1 来检查密钥：%2</translation>
    </message>
    <message>
        <source>This key was refused by %1 (HTTP %2 from %3: &quot;%4&quot;). A key only works on the plan and region it was made for: check the key, or choose the plan it belongs to.</source>
        <translation>%1 拒绝了此密钥（%3 返回 HTTP %2：“%4”）。密钥只能在创建它的套餐和地域中使用：请检查密钥，或选择它所属的套餐。</translation>
    </message>
    <message>
        <source>The key is valid. %1 answered the test request with &quot;%2&quot; (HTTP 405); Qwen Bridge forwards OpenCode&apos;s own identification with its requests.</source>
        <translation>密钥有效。%1 对测试请求的响应为“%2”（HTTP 405）；Qwen Bridge 转发请求时会附带 OpenCode 自己的身份标识。</translation>
    </message>
    <message>
        <source>The key is valid, but %1 says: &quot;%2&quot; (HTTP %3).</source>
        <translation>密钥有效，但 %1 表示：“%2”（HTTP %3）。</translation>
    </message>
    <message>
        <source>The key is valid; %1 refused only the test request itself: &quot;%2&quot;.</source>
        <translation>密钥有效；%1 只是拒绝了测试请求本身：“%2”。</translation>
    </message>
    <message>
        <source>%1 has no chat endpoint at %2 (HTTP 404). Check the base URL.</source>
        <translation>%1 在 %2 上没有聊天端点（HTTP 404）。请检查基础 URL。</translation>
    </message>
    <message>
        <source>%1 could not check the key (HTTP %2: &quot;%3&quot;). Try again later.</source>
        <translation>%1 无法检查密钥（HTTP %2：“%3”）。请稍后重试。</translation>
    </message>
    <message>
        <source>no message</source>
        <translation>无消息</translation>
    </message>
</context>
<context>
    <name>ApiKeyInput</name>
    <message>
        <source>That does not look like an API key (it has spaces or is very long).</source>
        <translation>这看起来不像 API 密钥（其中有空格或过长）。</translation>
    </message>
</context>
<context>
    <name>Autostart</name>
    <message>
        <source>%1 could not be removed.</source>
        <translation>无法删除 %1。</translation>
    </message>
    <message>
        <source>%1 could not be written: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>BridgeService</name>
    <message>
        <source>Signed out from the command line.</source>
        <translation>已在命令行中退出登录。</translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <source>Paste your API key (it is not shown): </source>
        <translation>粘贴您的 API 密钥（输入内容不会显示）：</translation>
    </message>
    <message>
        <source>No API key was given on standard input. Example: `qwen-bridge login --api-key &lt; keyfile`.</source>
        <translation>标准输入中没有提供 API 密钥。示例：`qwen-bridge login --api-key &lt; keyfile`。</translation>
    </message>
    <message>
        <source>Nothing was stored.</source>
        <translation>未保存任何内容。</translation>
    </message>
    <message>
        <source>The running Qwen Bridge now uses this key.</source>
        <translation>正在运行的 Qwen Bridge 现在使用此密钥。</translation>
    </message>
    <message>
        <source>Signed in with an API key for %1. Requests go to %2.</source>
        <translation>已使用 %1 的 API 密钥登录。请求将发送到 %2。</translation>
    </message>
    <message>
        <source>Checking the key with %1…</source>
        <translation>正在通过 %1 检查密钥…</translation>
    </message>
    <message>
        <source>Do not open a browser.</source>
        <translation>不打开浏览器。</translation>
    </message>
    <message>
        <source>Without a keychain service, keep credentials in a 0600 file.</source>
        <translation>没有钥匙串服务时，将凭据保存在权限为 0600 的文件中。</translation>
    </message>
    <message>
        <source>Sign in with an API key read from stdin.</source>
        <translation>使用从标准输入读取的 API 密钥登录。</translation>
    </message>
    <message>
        <source>The plan and region of the key.</source>
        <translation>密钥所属的套餐和地域。</translation>
    </message>
    <message>
        <source>A custom OpenAI-compatible base URL.</source>
        <translation>自定义的 OpenAI 兼容基础 URL。</translation>
    </message>
    <message>
        <source>--preset and --base-url go with --api-key.</source>
        <translation>--preset 和 --base-url 只能与 --api-key 一起使用。</translation>
    </message>
    <message>
        <source>Finishing storing the sign-in…</source>
        <translation>正在完成登录信息的保存…</translation>
    </message>
    <message>
        <source>Sign-in cancelled. Nothing was stored.</source>
        <translation>登录已取消。未保存任何内容。</translation>
    </message>
    <message>
        <source>To sign in to Qwen, open this address and approve the code:</source>
        <translation>要登录 Qwen，请打开此地址并批准登录码：</translation>
    </message>
    <message>
        <source>Code: %1</source>
        <translation>登录码：%1</translation>
    </message>
    <message>
        <source>Your browser should open now. If it does not, open the address above yourself.</source>
        <translation>浏览器应该会马上打开。如果没有，请自行打开上面的地址。</translation>
    </message>
    <message>
        <source>Could not open a browser: open the address above yourself.</source>
        <translation>无法打开浏览器：请自行打开上面的地址。</translation>
    </message>
    <message>
        <source>Waiting for approval. Press Ctrl+C to cancel.</source>
        <translation>正在等待批准。按 Ctrl+C 取消。</translation>
    </message>
    <message>
        <source>Time left: %1 </source>
        <translation>剩余时间：%1 </translation>
    </message>
    <message>
        <source>Time left: %1</source>
        <translation>剩余时间：%1</translation>
    </message>
    <message>
        <source>Could not check the sign-in (%1); still trying.</source>
        <translation>无法检查登录状态（%1）；仍在尝试。</translation>
    </message>
    <message>
        <source>Signed in, but the credentials could not be stored: %1</source>
        <translation>已登录，但无法保存凭据：%1</translation>
    </message>
    <message>
        <source>The running Qwen Bridge now uses this sign-in.</source>
        <translation>正在运行的 Qwen Bridge 现在使用此登录。</translation>
    </message>
    <message>
        <source>Signed in. Requests go to %1.</source>
        <translation>已登录。请求将发送到 %1。</translation>
    </message>
    <message>
        <source>If this machine has no keychain at all, `qwen-bridge login --allow-file-storage` keeps the credentials in a file only you can read instead.</source>
        <translation>如果这台机器根本没有钥匙串，`qwen-bridge login --allow-file-storage` 会改为将凭据保存在只有您能读取的文件中。</translation>
    </message>
    <message>
        <source>No keychain service: credentials will be kept in %1.</source>
        <translation>没有钥匙串服务：凭据将保存在 %1 中。</translation>
    </message>
    <message>
        <source>Contacting %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <source>Print JSON.</source>
        <translation>输出 JSON。</translation>
    </message>
    <message>
        <source>Signed out. The credentials were removed from %1.</source>
        <translation>已退出登录。凭据已从 %1 中删除。</translation>
    </message>
    <message>
        <source>Signed out. The credentials were removed from the keychain.</source>
        <translation>已退出登录。凭据已从钥匙串中删除。</translation>
    </message>
    <message>
        <source>The running Qwen Bridge signed out too.</source>
        <translation>正在运行的 Qwen Bridge 也已退出登录。</translation>
    </message>
    <message>
        <source>Stopping.</source>
        <translation>正在停止。</translation>
    </message>
    <message>
        <source>Qwen Bridge proxy listening on %1</source>
        <translation>Qwen Bridge 代理正在 %1 上监听</translation>
    </message>
    <message>
        <source>Point OpenCode at it with `qwen-bridge opencode-config --write`. Press Ctrl+C to stop.</source>
        <translation>用 `qwen-bridge opencode-config --write` 让 OpenCode 使用它。按 Ctrl+C 停止。</translation>
    </message>
    <message>
        <source>The proxy&apos;s local key could not be read or created: %1</source>
        <translation>无法读取或创建代理的本地密钥：%1</translation>
    </message>
    <message>
        <source>Not signed in: requests get an error until you run `qwen-bridge login`.</source>
        <translation>尚未登录：在您运行 `qwen-bridge login` 之前，请求都会出错。</translation>
    </message>
    <message>
        <source>Signed in (%1).</source>
        <translation>已登录（%1）。</translation>
    </message>
    <message>
        <source>Qwen Bridge already runs (process %1) and owns the session. Use `qwen-bridge status`, or quit the other one first.</source>
        <translation>Qwen Bridge 已在运行（进程 %1）并拥有该会话。请使用 `qwen-bridge status`，或先退出另一个实例。</translation>
    </message>
    <message>
        <source>Import this file.</source>
        <translation>导入此文件。</translation>
    </message>
    <message>
        <source>Do not ask for confirmation.</source>
        <translation>不要求确认。</translation>
    </message>
    <message>
        <source>Delete the file once imported.</source>
        <translation>导入后删除该文件。</translation>
    </message>
    <message>
        <source>Found nothing to import: neither %1 nor %2 exists. Sign in with `qwen-bridge login` instead.</source>
        <translation>没有找到可导入的内容：%1 和 %2 都不存在。请改用 `qwen-bridge login` 登录。</translation>
    </message>
    <message>
        <source>Importing the sign-in of %1 from %2.</source>
        <translation>正在从 %2 导入 %1 的登录。</translation>
    </message>
    <message>
        <source>Not a terminal: add --yes to confirm.</source>
        <translation>不是终端：请加上 --yes 以确认。</translation>
    </message>
    <message>
        <source>Continue? [y/N] </source>
        <translation>继续吗？[y/N] </translation>
    </message>
    <message>
        <source>Nothing was imported.</source>
        <translation>未导入任何内容。</translation>
    </message>
    <message>
        <source>Imported. Qwen Bridge renews the session from now on.</source>
        <translation>已导入。从现在起由 Qwen Bridge 为会话续期。</translation>
    </message>
    <message>
        <source>Deleted %1.</source>
        <translation>已删除 %1。</translation>
    </message>
    <message>
        <source>Could not delete %1.</source>
        <translation>无法删除 %1。</translation>
    </message>
    <message>
        <source>%1 was left as it was.</source>
        <translation>%1 保持原样。</translation>
    </message>
    <message>
        <source>Unknown option: %1</source>
        <translation>未知选项：%1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Unknown command: %1</source>
        <translation>未知命令：%1</translation>
    </message>
    <message>
        <source>Unknown plan %1. The plans are:</source>
        <translation>未知套餐 %1。可用的套餐有：</translation>
    </message>
    <message>
        <source>or --base-url URL for another endpoint, with --preset for the rules of the plan behind it.</source>
        <translation>或者用 --base-url URL 指定其他端点，并用 --preset 指定其背后套餐的规则。</translation>
    </message>
    <message>
        <source>Using %1 (%2). Choose another with --preset; the plans are:</source>
        <translation>正在使用 %1（%2）。可用 --preset 选择其他套餐；可用的套餐有：</translation>
    </message>
    <message>
        <source>Usage: qwen-bridge [COMMAND] [OPTIONS]

Use Qwen models in OpenCode with your Qwen account. Without a command, the tray
application starts.

Commands:
  login [--no-browser] [--allow-file-storage] [--name NAME]
                              sign in with your Qwen account in the terminal
  login --api-key [--preset PLAN] [--base-url URL] [--name NAME]
                              sign in with a Coding Plan, Token Plan or Model
                              Studio pay-as-you-go key read from standard input;
                              PLAN is coding-plan-global, coding-plan-china,
                              token-plan-singapore, token-plan-beijing,
                              payg-singapore, payg-beijing, payg-us or
                              payg-hongkong. With --name, the credential NAME is
                              added (or replaced) next to the others; without,
                              the default credential is replaced
  accounts [list] [--json]    the credentials in their order, each with its state
                              (usable, cooling, exhausted, needs_sign_in)
  accounts use NAME           make NAME the first credential
  accounts remove NAME        remove NAME and its secret
  accounts order NAME...      put these first, in this order
  accounts rename NAME NEW    give NAME another name
  status [--json]             show the sign-in state (never a secret)
  logout                      remove the stored credentials
  serve                       run the proxy alone, without the tray, until
                              Ctrl+C or SIGTERM
  import [--from FILE] [--yes] [--delete-original]
                              take over the sign-in of the OpenCode Qwen plugin
                              (~/.opencode/qwen/oauth_token.json) or Qwen Code
                              (~/.qwen/oauth_creds.json)
  opencode-config [--provider ID] [--write [FILE]]
                              print the OpenCode provider block, or merge it
                              into FILE (default: the global OpenCode config)
                              keeping comments and other keys, with a backup
  usage [--json] [--days N]   requests and tokens per day (default 7 days) and the
                              plan&apos;s windows, counted on this computer

Options:
  --demo                      the tray application against a built-in fake Qwen
  --windowed                  a status window instead of the tray icon
  -h, --help                  show this help
  -v, --version               show the version

Exit codes: 0 done, 1 other failure, 2 sign-in refused, 3 sign-in code expired,
4 network or server failure, 5 keychain failure, 64 wrong usage, 130 cancelled.
</source>
        <translation>用法：qwen-bridge [命令] [选项]

用您的 Qwen 账号在 OpenCode 中使用 Qwen 模型。不带命令时，启动托盘
应用程序。

命令：
  login [--no-browser] [--allow-file-storage] [--name NAME]
                              在终端中用您的 Qwen 账号登录
  login --api-key [--preset PLAN] [--base-url URL] [--name NAME]
                              使用从标准输入读取的 Coding Plan、Token Plan
                              或百炼按量付费密钥登录；PLAN 可以是
                              coding-plan-global、coding-plan-china、
                              token-plan-singapore、token-plan-beijing、
                              payg-singapore、payg-beijing、payg-us 或
                              payg-hongkong。带 --name 时，添加（或替换）
                              名为 NAME 的凭据，与其他凭据并存；不带时，
                              替换默认凭据
  accounts [list] [--json]    按顺序列出凭据及其状态
                              （usable、cooling、exhausted、needs_sign_in）
  accounts use NAME           将 NAME 设为第一个凭据
  accounts remove NAME        删除 NAME 及其机密
  accounts order NAME...      按此顺序把这些凭据排在最前
  accounts rename NAME NEW    为 NAME 改名
  status [--json]             显示登录状态（绝不显示机密信息）
  logout                      删除保存的凭据
  serve                       只运行代理，不显示托盘，直到按下
                              Ctrl+C 或收到 SIGTERM
  import [--from FILE] [--yes] [--delete-original]
                              接管 OpenCode Qwen 插件
                              (~/.opencode/qwen/oauth_token.json) 或 Qwen Code
                              (~/.qwen/oauth_creds.json) 的登录
  opencode-config [--provider ID] [--write [FILE]]
                              输出 OpenCode 提供方配置块，或将其合并到
                              FILE 中（默认：全局 OpenCode 配置），保留
                              注释和其他键，并创建备份
  usage [--json] [--days N]   每天的请求数和 Token 数（默认 7 天）以及
                              套餐的额度窗口，均在本机上统计

选项：
  --demo                      以内置的模拟 Qwen 服务运行托盘应用程序
  --windowed                  用状态窗口代替托盘图标
  -h, --help                  显示此帮助
  -v, --version               显示版本

退出码：0 完成，1 其他失败，2 登录被拒绝，3 登录码已过期，
4 网络或服务器故障，5 钥匙串故障，64 用法错误，130 已取消。
</translation>
    </message>
    <message>
        <source>Qwen account</source>
        <translation>Qwen 账号</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>nothing stored</source>
        <translation>未保存任何内容</translation>
    </message>
    <message>
        <source>No credentials are stored. Add one with `qwen-bridge login --api-key --name NAME` or `qwen-bridge login --name NAME`.</source>
        <translation>没有保存任何凭据。请用 `qwen-bridge login --api-key --name NAME` 或 `qwen-bridge login --name NAME` 添加。</translation>
    </message>
    <message>
        <source>Credentials, taken in turn (round robin):</source>
        <translation>凭据（轮流使用）：</translation>
    </message>
    <message>
        <source>Credentials, in the order they are used (fill first):</source>
        <translation>凭据，按使用顺序（优先用满第一个）：</translation>
    </message>
    <message>
        <source>(Qwen Bridge is not running: the states are the ones it stored.)</source>
        <translation>（Qwen Bridge 未运行：显示的是它保存的状态。）</translation>
    </message>
    <message>
        <source>The running Qwen Bridge follows the new order.</source>
        <translation>正在运行的 Qwen Bridge 已按新顺序工作。</translation>
    </message>
    <message>
        <source>Usage: qwen-bridge accounts [list] [--json]
       qwen-bridge accounts use NAME
       qwen-bridge accounts remove NAME
       qwen-bridge accounts order NAME...
       qwen-bridge accounts rename NAME NEW-NAME
</source>
        <translation>用法：qwen-bridge accounts [list] [--json]
       qwen-bridge accounts use NAME
       qwen-bridge accounts remove NAME
       qwen-bridge accounts order NAME...
       qwen-bridge accounts rename NAME NEW-NAME
</translation>
    </message>
    <message>
        <source>list, use, remove, order</source>
        <translation>list、use、remove、order</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is now the first credential.</source>
        <translation>“%1”现在是第一个凭据。</translation>
    </message>
    <message>
        <source>Removed &quot;%1&quot; and its secret from the keychain.</source>
        <translation>已从钥匙串中删除“%1”及其机密。</translation>
    </message>
    <message>
        <source>The order is now: %1 first.</source>
        <translation>现在的顺序：%1 在前。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is now called &quot;%2&quot;.</source>
        <translation>“%1”已改名为“%2”。</translation>
    </message>
    <message>
        <source>Stored as the credential &quot;%1&quot;; `qwen-bridge accounts` lists them.</source>
        <translation>已保存为凭据“%1”；`qwen-bridge accounts` 会列出所有凭据。</translation>
    </message>
    <message>
        <source>Add or replace the credential NAME instead of the default one.</source>
        <translation>添加或替换名为 NAME 的凭据，而不是默认凭据。</translation>
    </message>
</context>
<context>
    <name>CliUsage</name>
    <message>
        <source>Print JSON.</source>
        <translation>输出 JSON。</translation>
    </message>
    <message>
        <source>Days to show (default 7).</source>
        <translation>要显示的天数（默认 7）。</translation>
    </message>
    <message>
        <source>--days takes a number of days from 1 to %1.</source>
        <translation>--days 接受 1 到 %1 之间的天数。</translation>
    </message>
</context>
<context>
    <name>ConfigureOpenCodeDialog</name>
    <message>
        <source>Configure OpenCode — DEMO</source>
        <translation>配置 OpenCode — 演示 DEMO</translation>
    </message>
    <message>
        <source>Configure OpenCode</source>
        <translation>配置 OpenCode</translation>
    </message>
    <message>
        <source>Qwen Bridge can point OpenCode at its proxy by adding the provider “%1” to OpenCode&apos;s configuration file. Everything else in the file, comments included, stays as it is.</source>
        <translation>Qwen Bridge 可以在 OpenCode 的配置文件中添加提供方“%1”，让 OpenCode 使用它的代理。文件中的其他内容（包括注释）保持不变。</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Other file…</source>
        <translation>其他文件…</translation>
    </message>
    <message>
        <source>Write</source>
        <translation>写入</translation>
    </message>
    <message>
        <source>The file cannot be read: %1</source>
        <translation>无法读取该文件：%1</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;This file cannot be changed safely.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;%1&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;无法安全地修改此文件。&lt;/b&gt;&lt;/p&gt;&lt;p&gt;%1&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Line %1, column %2. Fix the file in an editor, or choose another file.&lt;/p&gt;</source>
        <translation>&lt;p&gt;第 %1 行，第 %2 列。请在编辑器中修正该文件，或选择其他文件。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;OpenCode is already set up.&lt;/b&gt; The file says everything Qwen Bridge would write; nothing needs to change.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;OpenCode 已经配置好了。&lt;/b&gt;文件中已包含 Qwen Bridge 要写入的全部内容，无需修改。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;These changes will be made:&lt;/p&gt;</source>
        <translation>&lt;p&gt;将进行以下修改：&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;The file does not exist yet and will be created with:&lt;/p&gt;</source>
        <translation>&lt;p&gt;该文件尚不存在，将创建并写入：&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;A copy of the current file is saved next to it first (%1.bak-…), so you can go back.&lt;/p&gt;</source>
        <translation>&lt;p&gt;会先在同一目录中保存当前文件的副本（%1.bak-…），以便恢复。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;The file will hold the bridge&apos;s local key. It only opens the proxy on this computer.&lt;/p&gt;</source>
        <translation>&lt;p&gt;该文件将包含 Qwen Bridge 的本地密钥。此密钥只能用于访问本机上的代理。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Your file already chooses the model “%1”; it is kept. Choose “%2” in OpenCode to use Qwen through the bridge.&lt;/p&gt;</source>
        <translation>&lt;p&gt;您的文件已选择模型“%1”，将保留不变。如需通过 Qwen Bridge 使用 Qwen，请在 OpenCode 中选择“%2”。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Nothing was written: %1</source>
        <translation>未写入任何内容：%1</translation>
    </message>
    <message>
        <source>Done: %1. Restart OpenCode to pick it up.</source>
        <translation>完成：%1。请重新启动 OpenCode 使其生效。</translation>
    </message>
    <message>
        <source>OpenCode configuration file</source>
        <translation>OpenCode 配置文件</translation>
    </message>
    <message>
        <source>OpenCode configuration (*.json *.jsonc);;All files (*)</source>
        <translation>OpenCode 配置 (*.json *.jsonc);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>DeviceAuthorization</name>
    <message>
        <source>Sign-in was cancelled.</source>
        <translation>登录已取消。</translation>
    </message>
    <message>
        <source>The Qwen sign-in server had a problem (HTTP %1). Try again in a minute.</source>
        <translation>Qwen 登录服务器出现问题（HTTP %1）。请一分钟后重试。</translation>
    </message>
    <message>
        <source>The Qwen sign-in server refused to start a sign-in (HTTP %1). Check the OAuth base URL and client id in the settings.</source>
        <translation>Qwen 登录服务器拒绝开始登录（HTTP %1）。请检查设置中的 OAuth 基础 URL 和客户端 ID。</translation>
    </message>
    <message>
        <source>The Qwen sign-in server refused to start a sign-in: %1. Check the OAuth base URL and client id in the settings.</source>
        <translation>Qwen 登录服务器拒绝开始登录：%1。请检查设置中的 OAuth 基础 URL 和客户端 ID。</translation>
    </message>
    <message>
        <source>The Qwen sign-in server sent an unusable verification address.</source>
        <translation>Qwen 登录服务器返回了无法使用的验证地址。</translation>
    </message>
    <message>
        <source>The sign-in code expired before it was approved. Start the sign-in again and approve it in the browser in time.</source>
        <translation>登录码在批准之前已过期。请重新开始登录，并及时在浏览器中批准。</translation>
    </message>
    <message>
        <source>The last attempt to check failed: %1</source>
        <translation>上一次检查失败：%1</translation>
    </message>
    <message>
        <source>the server answered HTTP %1</source>
        <translation>服务器返回 HTTP %1</translation>
    </message>
    <message>
        <source>The Qwen sign-in server sent an empty token.</source>
        <translation>Qwen 登录服务器返回了空令牌。</translation>
    </message>
    <message>
        <source>The sign-in was refused in the browser. Start it again and choose to allow access if you want to use your Qwen account here.</source>
        <translation>登录已在浏览器中被拒绝。如果您想在这里使用 Qwen 账号，请重新开始登录并选择允许访问。</translation>
    </message>
    <message>
        <source>The Qwen sign-in server refused the sign-in: %1</source>
        <translation>Qwen 登录服务器拒绝了登录：%1</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
</context>
<context>
    <name>Gui</name>
    <message>
        <source>Qwen Bridge DEMO</source>
        <translation>Qwen Bridge 演示 DEMO</translation>
    </message>
    <message>
        <source>The demo service could not start.</source>
        <translation>无法启动演示服务。</translation>
    </message>
    <message>
        <source>Qwen Bridge</source>
        <translation>Qwen Bridge</translation>
    </message>
</context>
<context>
    <name>HttpClientReply</name>
    <message>
        <source>The request was canceled.</source>
        <translation>请求已取消。</translation>
    </message>
    <message>
        <source>%1 is not an http or https address.</source>
        <translation>%1 不是 http 或 https 地址。</translation>
    </message>
    <message>
        <source>The server closed the connection before it was set up.</source>
        <translation>服务器在连接建立之前就关闭了连接。</translation>
    </message>
    <message>
        <source>TLS is not available on this system (no OpenSSL).</source>
        <translation>此系统上无法使用 TLS（没有 OpenSSL）。</translation>
    </message>
    <message>
        <source>The server&apos;s answer has a header larger than %1 KiB.</source>
        <translation>服务器响应的头部超过 %1 KiB。</translation>
    </message>
    <message>
        <source>The server did not answer with HTTP/1.x.</source>
        <translation>服务器没有使用 HTTP/1.x 响应。</translation>
    </message>
    <message>
        <source>The server&apos;s answer has no valid status code.</source>
        <translation>服务器的响应中没有有效的状态码。</translation>
    </message>
    <message>
        <source>The server&apos;s answer has a malformed header.</source>
        <translation>服务器响应的头部格式错误。</translation>
    </message>
    <message>
        <source>The server switched protocols, which this request did not ask for.</source>
        <translation>服务器切换了协议，但此请求并未要求切换。</translation>
    </message>
    <message>
        <source>The server&apos;s answer has an invalid Content-Length.</source>
        <translation>服务器响应中的 Content-Length 无效。</translation>
    </message>
    <message>
        <source>The server sent a malformed chunked body.</source>
        <translation>服务器发送的分块（chunked）正文格式错误。</translation>
    </message>
    <message>
        <source>The server closed the connection without answering.</source>
        <translation>服务器没有响应就关闭了连接。</translation>
    </message>
    <message>
        <source>The server closed the connection before the answer was complete.</source>
        <translation>服务器在响应完成之前关闭了连接。</translation>
    </message>
    <message>
        <source>No connection to %1 could be set up within %2 seconds.</source>
        <translation>无法在 %2 秒内建立与 %1 的连接。</translation>
    </message>
    <message>
        <source>No connection to %1 through the HTTP proxy %2 could be set up within %3 seconds.</source>
        <translation>无法在 %3 秒内通过 HTTP 代理 %2 建立与 %1 的连接。</translation>
    </message>
</context>
<context>
    <name>ImportOfferDialog</name>
    <message>
        <source>Qwen Bridge</source>
        <translation>Qwen Bridge</translation>
    </message>
    <message>
        <source>Use the sign-in of %1?</source>
        <translation>要使用 %1 的登录吗？</translation>
    </message>
    <message>
        <source>Qwen Bridge found a Qwen sign-in in %1. It can take it over, so that you do not have to sign in again.</source>
        <translation>Qwen Bridge 在 %1 中找到了一个 Qwen 登录。它可以接管这个登录，这样您就不必重新登录。</translation>
    </message>
    <message>
        <source>&amp;Delete the original file</source>
        <translation>删除原文件(&amp;D)</translation>
    </message>
    <message>
        <source>Qwen Bridge asks only this once. To do it later, run qwen-bridge import in a terminal.</source>
        <translation>Qwen Bridge 只询问这一次。如果以后想导入，请在终端中运行 qwen-bridge import。</translation>
    </message>
    <message>
        <source>Use this sign-in</source>
        <translation>使用此登录</translation>
    </message>
    <message>
        <source>No, thanks</source>
        <translation>不用了，谢谢</translation>
    </message>
</context>
<context>
    <name>InstanceLock</name>
    <message>
        <source>Qwen Bridge could not take the lock %1 (the file is there but names no running process). If no other Qwen Bridge is starting, remove the file and start again.</source>
        <translation>Qwen Bridge 无法获取锁文件 %1（该文件存在，但其中记录的进程并未运行）。如果没有其他 Qwen Bridge 正在启动，请删除该文件并重新启动。</translation>
    </message>
    <message>
        <source>Qwen Bridge could not take the lock %1 (permission denied). Check that you may write to %2.</source>
        <translation>Qwen Bridge 无法获取锁文件 %1（权限被拒绝）。请检查您是否有权写入 %2。</translation>
    </message>
    <message>
        <source>Qwen Bridge could not take the lock %1 (an unexpected error). Check the folder %2 and the free space on its disk.</source>
        <translation>Qwen Bridge 无法获取锁文件 %1（意外错误）。请检查文件夹 %2 及其所在磁盘的可用空间。</translation>
    </message>
</context>
<context>
    <name>JsoncDocument</name>
    <message>
        <source>unexpected text after the end of the document</source>
        <translation>文档结束后出现了多余的文本</translation>
    </message>
    <message>
        <source>The file is not valid JSON: %1 at line %2, column %3.</source>
        <translation>该文件不是有效的 JSON：第 %2 行第 %3 列，%1。</translation>
    </message>
    <message>
        <source>a comment is not closed</source>
        <translation>注释没有结束</translation>
    </message>
    <message>
        <source>values are nested too deeply</source>
        <translation>值的嵌套层次过深</translation>
    </message>
    <message>
        <source>the text ends where a value should be</source>
        <translation>在应该出现值的位置文本结束了</translation>
    </message>
    <message>
        <source>a value was expected</source>
        <translation>此处应为一个值</translation>
    </message>
    <message>
        <source>an object is not closed</source>
        <translation>对象没有结束</translation>
    </message>
    <message>
        <source>a quoted key or &apos;}&apos; was expected</source>
        <translation>此处应为带引号的键或 &apos;}&apos;</translation>
    </message>
    <message>
        <source>&apos;:&apos; was expected after the key</source>
        <translation>键之后应为 &apos;:&apos;</translation>
    </message>
    <message>
        <source>an array is not closed</source>
        <translation>数组没有结束</translation>
    </message>
    <message>
        <source>&apos;,&apos; or &apos;}&apos; was expected</source>
        <translation>此处应为 &apos;,&apos; 或 &apos;}&apos;</translation>
    </message>
    <message>
        <source>&apos;,&apos; or &apos;]&apos; was expected</source>
        <translation>此处应为 &apos;,&apos; 或 &apos;]&apos;</translation>
    </message>
    <message>
        <source>a string contains a line break or control character</source>
        <translation>字符串中含有换行符或控制字符</translation>
    </message>
    <message>
        <source>a \u escape needs four hex digits</source>
        <translation>\u 转义需要四位十六进制数字</translation>
    </message>
    <message>
        <source>a string contains an unknown escape</source>
        <translation>字符串中含有未知的转义序列</translation>
    </message>
    <message>
        <source>a string is not closed</source>
        <translation>字符串没有结束</translation>
    </message>
    <message>
        <source>a number is malformed</source>
        <translation>数字格式错误</translation>
    </message>
</context>
<context>
    <name>KeychainStore</name>
    <message>
        <source>Nothing is stored in the keychain.</source>
        <translation>钥匙串中没有保存任何内容。</translation>
    </message>
    <message>
        <source>The keychain is locked or refused access. Unlock your keyring (GNOME Keyring or KWallet) and allow Qwen Bridge to use it, then try again.</source>
        <translation>钥匙串已锁定或拒绝访问。请解锁您的钥匙环（GNOME 钥匙环或 KWallet）并允许 Qwen Bridge 使用，然后重试。</translation>
    </message>
    <message>
        <source>The keychain did not answer in time. It may be waiting for you to unlock it; unlock your keyring and try again.</source>
        <translation>钥匙串没有及时响应。它可能正在等待您解锁；请解锁钥匙环后重试。</translation>
    </message>
    <message>
        <source>The keychain reported an error.</source>
        <translation>钥匙串报告了一个错误。</translation>
    </message>
    <message>
        <source>Could not write the credentials file %1: %2</source>
        <translation>无法写入凭据文件 %1：%2</translation>
    </message>
    <message>
        <source>No keychain service answered. Start or unlock GNOME Keyring or KWallet in your desktop session (on a server: run gnome-keyring-daemon inside a D-Bus session) and try again.</source>
        <translation>没有钥匙串服务响应。请在桌面会话中启动或解锁 GNOME 钥匙环或 KWallet（在服务器上：在 D-Bus 会话中运行 gnome-keyring-daemon），然后重试。</translation>
    </message>
    <message>
        <source>The keychain did not answer in time. QT_NO_GLIB is set, and without GLib&apos;s event loop GNOME Keyring&apos;s answers never arrive: start Qwen Bridge without QT_NO_GLIB and try again.</source>
        <translation>钥匙串未能及时响应。已设置 QT_NO_GLIB，而没有 GLib 的事件循环，GNOME 钥匙环的响应永远无法到达：请在不设置 QT_NO_GLIB 的情况下启动 Qwen Bridge，然后重试。</translation>
    </message>
</context>
<context>
    <name>LegacyImport</name>
    <message>
        <source>Could not read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is too large to be a credentials file.</source>
        <translation>%1 太大，不可能是凭据文件。</translation>
    </message>
    <message>
        <source>%1 is not a JSON credentials file.</source>
        <translation>%1 不是 JSON 格式的凭据文件。</translation>
    </message>
    <message>
        <source>%1 holds no token.</source>
        <translation>%1 中没有令牌。</translation>
    </message>
    <message>
        <source>%1 holds no refresh token, so the session could not be kept alive.</source>
        <translation>%1 中没有刷新令牌，因此无法保持会话。</translation>
    </message>
    <message>
        <source>the OpenCode Qwen plugin</source>
        <translation>OpenCode Qwen 插件</translation>
    </message>
    <message>
        <source>Qwen Code</source>
        <translation>Qwen Code</translation>
    </message>
    <message>
        <source>the file</source>
        <translation>该文件</translation>
    </message>
    <message>
        <source>Qwen Bridge will renew this session itself. Renewing replaces the refresh token, so %1 will be signed out and must sign in again if you keep using it.</source>
        <translation>Qwen Bridge 将自行为此会话续期。续期会替换刷新令牌，因此 %1 会被退出登录；如果您还要继续使用它，需要重新登录。</translation>
    </message>
</context>
<context>
    <name>NetworkProxy</name>
    <message>
        <source>The proxy must be given as http://host:port, with an optional user name (http://user@host:port), for example http://proxy.example:3128.</source>
        <translation>代理必须写成 http://host:port 的形式，可以带用户名（http://user@host:port），例如 http://proxy.example:3128。</translation>
    </message>
    <message>
        <source>Leave the password out of the proxy address: enter it in the password field, and it is kept in the keychain.</source>
        <translation>不要把密码写在代理地址中：请在密码框中输入，密码将保存在钥匙串中。</translation>
    </message>
    <message>
        <source>The HTTP proxy %1 refused the connection. Check that the proxy is running, and the proxy address in the settings or in https_proxy / http_proxy.</source>
        <translation>HTTP 代理 %1 拒绝了连接。请检查代理是否正在运行，以及设置中或 https_proxy / http_proxy 中的代理地址。</translation>
    </message>
    <message>
        <source>The HTTP proxy %1 could not be reached. Check the proxy address in the settings or in https_proxy / http_proxy, and your network connection.</source>
        <translation>无法连接 HTTP 代理 %1。请检查设置中或 https_proxy / http_proxy 中的代理地址，以及您的网络连接。</translation>
    </message>
    <message>
        <source>The HTTP proxy %1 closed the connection without passing it on. Check that the proxy allows connections to the Qwen servers.</source>
        <translation>HTTP 代理 %1 关闭了连接，没有将其转发。请检查该代理是否允许连接到 Qwen 服务器。</translation>
    </message>
    <message>
        <source>The HTTP proxy %1 asks for authentication (407), or refused the user name and password it was given. Check the proxy&apos;s user name and password in the settings.</source>
        <translation>HTTP 代理 %1 要求身份验证（407），或拒绝了所提供的用户名和密码。请检查设置中代理的用户名和密码。</translation>
    </message>
</context>
<context>
    <name>OAuth</name>
    <message>
        <source>The Qwen sign-in server did not answer in time.</source>
        <translation>Qwen 登录服务器没有及时响应。</translation>
    </message>
    <message>
        <source>The Qwen sign-in server&apos;s name could not be resolved. Check your network.</source>
        <translation>无法解析 Qwen 登录服务器的域名。请检查网络。</translation>
    </message>
    <message>
        <source>The Qwen sign-in server refused the connection.</source>
        <translation>Qwen 登录服务器拒绝了连接。</translation>
    </message>
    <message>
        <source>A secure connection to the Qwen sign-in server could not be made.</source>
        <translation>无法与 Qwen 登录服务器建立安全连接。</translation>
    </message>
    <message>
        <source>Could not reach the Qwen sign-in server: %1</source>
        <translation>无法连接 Qwen 登录服务器：%1</translation>
    </message>
</context>
<context>
    <name>OpenCodeConfig</name>
    <message>
        <source>nothing to change</source>
        <translation>无需修改</translation>
    </message>
    <message>
        <source>kept your model &quot;%1&quot; (choose &quot;%2&quot; to use the bridge)</source>
        <translation>保留了您的模型“%1”（选择“%2”即可通过 Qwen Bridge 使用）</translation>
    </message>
    <message>
        <source>previous file saved as %1</source>
        <translation>原文件已另存为 %1</translation>
    </message>
    <message>
        <source>added provider %1</source>
        <translation>添加提供方 %1</translation>
    </message>
    <message>
        <source>set model to %1</source>
        <translation>将模型设为 %1</translation>
    </message>
    <message>
        <source>added $schema</source>
        <translation>添加 $schema</translation>
    </message>
    <message>
        <source>The file does not hold a JSON object, so it cannot be an OpenCode configuration.</source>
        <translation>该文件不包含 JSON 对象，因此不可能是 OpenCode 配置。</translation>
    </message>
    <message>
        <source>&quot;provider&quot; in the file is not an object; it was left as it is.</source>
        <translation>文件中的 &quot;provider&quot; 不是对象；已保持原样。</translation>
    </message>
    <message>
        <source>replaced provider %1</source>
        <translation>替换提供方 %1</translation>
    </message>
    <message>
        <source>The file could not be edited safely and was left as it is. Add the provider block by hand.</source>
        <translation>无法安全地编辑该文件，已保持原样。请手动添加提供方配置。</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>Could not create the folder %1.</source>
        <translation>无法创建文件夹 %1。</translation>
    </message>
    <message>
        <source>Could not write the backup %1 (%2); %3 was not changed.</source>
        <translation>无法写入备份 %1（%2）；%3 未被修改。</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>created %1</source>
        <translation>创建 %1</translation>
    </message>
    <message>
        <source>The provider id must be 1 to 64 letters, digits, “-”, “_” or “.”, starting with a letter or digit.</source>
        <translation>提供方 ID 必须由 1 到 64 个字母、数字、“-”、“_”或“.”组成，并以字母或数字开头。</translation>
    </message>
</context>
<context>
    <name>PlanCatalog</name>
    <message>
        <source>Coding Plan</source>
        <translation>Coding Plan</translation>
    </message>
    <message>
        <source>Token Plan</source>
        <translation>Token Plan</translation>
    </message>
    <message>
        <source>Model Studio pay-as-you-go</source>
        <translation>百炼按量付费</translation>
    </message>
    <message>
        <source>Custom endpoint</source>
        <translation>自定义端点</translation>
    </message>
    <message>
        <source>global</source>
        <translation>国际</translation>
    </message>
    <message>
        <source>China</source>
        <translation>中国内地</translation>
    </message>
    <message>
        <source>Singapore</source>
        <translation>新加坡</translation>
    </message>
    <message>
        <source>Beijing</source>
        <translation>北京</translation>
    </message>
    <message>
        <source>US, Virginia</source>
        <translation>美国（弗吉尼亚）</translation>
    </message>
    <message>
        <source>Hong Kong</source>
        <translation>中国香港</translation>
    </message>
    <message>
        <source>Subscribe to the Coding Plan in the Model Studio console of this region and copy the plan&apos;s own key there; it starts with &quot;sk-sp-&quot;.</source>
        <translation>请在该地域的百炼控制台中订阅 Coding Plan，并在那里复制该套餐专属的密钥；它以“sk-sp-”开头。</translation>
    </message>
    <message>
        <source>Copy the Token Plan&apos;s own key from the Model Studio console of this region; it starts with &quot;sk-sp-&quot;.</source>
        <translation>请从该地域的百炼控制台复制 Token Plan 专属的密钥；它以“sk-sp-”开头。</translation>
    </message>
    <message>
        <source>Create a key on the API-Key page of the Alibaba Cloud Model Studio console of this region; it starts with &quot;sk-&quot;.</source>
        <translation>请在该地域的阿里云百炼控制台的 API-Key 页面创建密钥；它以“sk-”开头。</translation>
    </message>
    <message>
        <source>Use the key that the provider of this endpoint gave you.</source>
        <translation>请使用该端点的提供方给您的密钥。</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>plan (region)</comment>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>the custom endpoint %1</source>
        <translation>自定义端点 %1</translation>
    </message>
    <message>
        <source>%1 keys start with &quot;%2&quot; and this one does not; a key only works on the plan and region it was made for.</source>
        <translation>%1 的密钥以“%2”开头，而这个密钥不是；密钥只能在创建它的套餐和地域中使用。</translation>
    </message>
    <message>
        <source>Keys that start with &quot;%1&quot; belong to the Coding Plan or the Token Plan, not to %2; choose the plan the key was made for.</source>
        <translation>以“%1”开头的密钥属于 Coding Plan 或 Token Plan，而不属于 %2；请选择创建该密钥时所用的套餐。</translation>
    </message>
    <message>
        <source>%1 keys start with &quot;%2&quot; and this one does not.</source>
        <translation>%1 的密钥以“%2”开头，而这个密钥不是。</translation>
    </message>
</context>
<context>
    <name>ProxyServer</name>
    <message>
        <source>Port %1 on 127.0.0.1 is already in use, perhaps by another Qwen Bridge. Quit the other program or choose another port in the settings (or set QWEN_BRIDGE_PORT).</source>
        <translation>127.0.0.1 上的端口 %1 已被占用，可能是另一个 Qwen Bridge 在使用。请退出那个程序，或在设置中选择其他端口（也可以设置 QWEN_BRIDGE_PORT）。</translation>
    </message>
    <message>
        <source>Could not listen on 127.0.0.1:%1: %2</source>
        <translation>无法在 127.0.0.1:%1 上监听：%2</translation>
    </message>
    <message>
        <source>This address is only for programs on this computer (Host must be 127.0.0.1, localhost or [::1] with the port).</source>
        <translation>此地址只供本机上的程序使用（Host 必须是带端口的 127.0.0.1、localhost 或 [::1]）。</translation>
    </message>
    <message>
        <source>Requests from web pages are not accepted.</source>
        <translation>不接受来自网页的请求。</translation>
    </message>
    <message>
        <source>Missing or wrong local key. Use the local key that Qwen Bridge shows with its proxy URL, or run `qwen-bridge opencode-config --write`.</source>
        <translation>本地密钥缺失或错误。请使用 Qwen Bridge 与代理 URL 一起显示的本地密钥，或运行 `qwen-bridge opencode-config --write`。</translation>
    </message>
    <message>
        <source>Method %1 is not allowed here.</source>
        <translation>此处不允许使用 %1 方法。</translation>
    </message>
    <message>
        <source>No such endpoint: %1. Qwen Bridge serves /v1/chat/completions and /v1/models.</source>
        <translation>没有这个端点：%1。Qwen Bridge 提供 /v1/chat/completions 和 /v1/models。</translation>
    </message>
</context>
<context>
    <name>ProxySettings</name>
    <message>
        <source>The proxy in the settings cannot be used (%1); the system&apos;s proxy settings apply instead.</source>
        <translation>设置中的代理无法使用（%1）；将改用系统的代理设置。</translation>
    </message>
    <message>
        <source>The proxy&apos;s password could not be read from the keychain: %1</source>
        <translation>无法从钥匙串读取代理密码：%1</translation>
    </message>
    <message>
        <source>The proxy&apos;s password could not be stored in the keychain: %1</source>
        <translation>无法将代理密码保存到钥匙串：%1</translation>
    </message>
    <message>
        <source>none (direct connections)</source>
        <translation>无（直接连接）</translation>
    </message>
    <message>
        <source>manual, %1</source>
        <translation>手动，%1</translation>
    </message>
    <message>
        <source>manual, but the address in the settings is not usable</source>
        <translation>手动，但设置中的地址无法使用</translation>
    </message>
    <message>
        <source>system (https_proxy, http_proxy, no_proxy)</source>
        <translation>系统（https_proxy、http_proxy、no_proxy）</translation>
    </message>
</context>
<context>
    <name>QrWidget</name>
    <message>
        <source>QR code of the sign-in link</source>
        <translation>登录链接的二维码</translation>
    </message>
</context>
<context>
    <name>QuotaState</name>
    <message>
        <source>The quota is used up.</source>
        <translation>配额已用完。</translation>
    </message>
</context>
<context>
    <name>QwenMode</name>
    <message>
        <source>QWEN_MODE=%1 is not understood (use 1, true, 0 or false); it was ignored.</source>
        <translation>无法识别 QWEN_MODE=%1（请使用 1、true、0 或 false）；已忽略。</translation>
    </message>
    <message>
        <source>%1 could not be read (%2); it was ignored.</source>
        <translation>无法读取 %1（%2）；已忽略。</translation>
    </message>
    <message>
        <source>%1 is too large to be a settings file; it was ignored.</source>
        <translation>%1 太大，不可能是设置文件；已忽略。</translation>
    </message>
    <message>
        <source>%1 is not a JSON object; it was ignored.</source>
        <translation>%1 不是 JSON 对象；已忽略。</translation>
    </message>
    <message>
        <source>&quot;qwenMode&quot; in %1 is not true or false; it was ignored.</source>
        <translation>%1 中的 &quot;qwenMode&quot; 不是 true 或 false；已忽略。</translation>
    </message>
    <message>
        <source>QWEN_MODE environment variable</source>
        <translation>QWEN_MODE 环境变量</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>Qwen Bridge settings</source>
        <translation>Qwen Bridge 设置</translation>
    </message>
</context>
<context>
    <name>RequestRewriter</name>
    <message>
        <source>The request body is not valid JSON: %1 at byte %2.</source>
        <translation>请求正文不是有效的 JSON：第 %2 字节处，%1。</translation>
    </message>
    <message>
        <source>The request body must be a JSON object.</source>
        <translation>请求正文必须是 JSON 对象。</translation>
    </message>
    <message>
        <source>The request body could not be read as JSON.</source>
        <translation>无法将请求正文作为 JSON 读取。</translation>
    </message>
    <message>
        <source>The request has no &quot;model&quot;.</source>
        <translation>请求中没有 &quot;model&quot;。</translation>
    </message>
    <message>
        <source>&quot;model&quot; must be a string.</source>
        <translation>&quot;model&quot; 必须是字符串。</translation>
    </message>
    <message>
        <source>&quot;model&quot; names no model.</source>
        <translation>&quot;model&quot; 没有指定任何模型。</translation>
    </message>
    <message>
        <source>The request has no &quot;messages&quot;.</source>
        <translation>请求中没有 &quot;messages&quot;。</translation>
    </message>
    <message>
        <source>&quot;messages&quot; must be an array.</source>
        <translation>&quot;messages&quot; 必须是数组。</translation>
    </message>
</context>
<context>
    <name>RuntimeDir</name>
    <message>
        <source>The runtime folder %1 could not be checked (%2). Check that you may enter %3, or set XDG_RUNTIME_DIR to a private folder of yours.</source>
        <translation>无法检查运行时文件夹 %1（%2）。请检查您是否有权进入 %3，或将 XDG_RUNTIME_DIR 设为您自己的私有文件夹。</translation>
    </message>
    <message>
        <source>The runtime folder %1 is a symbolic link, which someone else may have put there. Qwen Bridge does not use it: remove the link (rm %1) and start Qwen Bridge again.</source>
        <translation>运行时文件夹 %1 是一个符号链接，可能是别人放在那里的。Qwen Bridge 不会使用它：请删除该链接（rm %1），然后重新启动 Qwen Bridge。</translation>
    </message>
    <message>
        <source>The runtime folder %1 is not a folder. Remove it and start Qwen Bridge again.</source>
        <translation>运行时文件夹 %1 不是文件夹。请将其删除，然后重新启动 Qwen Bridge。</translation>
    </message>
    <message>
        <source>The runtime folder %1 belongs to another user (uid %2), not to you (uid %3). Qwen Bridge does not use it: ask an administrator to remove it, or set XDG_RUNTIME_DIR to a private folder of yours.</source>
        <translation>运行时文件夹 %1 属于另一个用户（uid %2），而不是您（uid %3）。Qwen Bridge 不会使用它：请让管理员将其删除，或将 XDG_RUNTIME_DIR 设为您自己的私有文件夹。</translation>
    </message>
    <message>
        <source>The runtime folder %1 is open to other users (mode %2). Qwen Bridge does not use it: make it private (chmod 700 %1) or remove it, and start Qwen Bridge again.</source>
        <translation>运行时文件夹 %1 对其他用户开放（权限 %2）。Qwen Bridge 不会使用它：请将其设为私有（chmod 700 %1）或将其删除，然后重新启动 Qwen Bridge。</translation>
    </message>
    <message>
        <source>The runtime folder %1 could not be created (%2). Check that you may write to %3, or set XDG_RUNTIME_DIR to a private folder of yours.</source>
        <translation>无法创建运行时文件夹 %1（%2）。请检查您是否有权写入 %3，或将 XDG_RUNTIME_DIR 设为您自己的私有文件夹。</translation>
    </message>
    <message>
        <source>The runtime folder %1 disappeared while Qwen Bridge was creating it. Start Qwen Bridge again.</source>
        <translation>在 Qwen Bridge 创建运行时文件夹 %1 的过程中，该文件夹消失了。请重新启动 Qwen Bridge。</translation>
    </message>
</context>
<context>
    <name>SessionManager</name>
    <message>
        <source>Signed out.</source>
        <translation>已退出登录。</translation>
    </message>
    <message>
        <source>Qwen Bridge is not signed in. %1</source>
        <translation>Qwen Bridge 尚未登录。%1</translation>
    </message>
    <message>
        <source>Your Qwen session has ended. %1</source>
        <translation>您的 Qwen 会话已结束。%1</translation>
    </message>
    <message>
        <source>The Qwen session could not be renewed (%1). Qwen Bridge keeps trying; check your network connection.</source>
        <translation>无法为 Qwen 会话续期（%1）。Qwen Bridge 会继续尝试；请检查网络连接。</translation>
    </message>
    <message>
        <source>The API key was refused by the model service. Check the key and its region, then sign in again with `qwen-bridge login --api-key`.</source>
        <translation>模型服务拒绝了 API 密钥。请检查密钥及其地域，然后用 `qwen-bridge login --api-key` 重新登录。</translation>
    </message>
    <message>
        <source>The stored sign-in cannot be renewed. Sign in again.</source>
        <translation>保存的登录信息无法续期。请重新登录。</translation>
    </message>
    <message>
        <source>Sign in again in Qwen Bridge or run `qwen-bridge login`.</source>
        <translation>请在 Qwen Bridge 中重新登录，或运行 `qwen-bridge login`。</translation>
    </message>
    <message>
        <source>Qwen Bridge is not signed in.</source>
        <translation>Qwen Bridge 尚未登录。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Qwen Bridge Settings — DEMO</source>
        <translation>Qwen Bridge 设置 — 演示 DEMO</translation>
    </message>
    <message>
        <source>Qwen Bridge Settings</source>
        <translation>Qwen Bridge 设置</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>代理</translation>
    </message>
    <message>
        <source>&amp;Port on 127.0.0.1:</source>
        <translation>127.0.0.1 上的端口(&amp;P)：</translation>
    </message>
    <message>
        <source>Set by the QWEN_BRIDGE_PORT environment variable.</source>
        <translation>由环境变量 QWEN_BRIDGE_PORT 设定。</translation>
    </message>
    <message>
        <source>On</source>
        <translation>开启</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Qwen &amp;mode (QWEN_MODE):</source>
        <translation>Qwen 模式 (QWEN_MODE)(&amp;M)：</translation>
    </message>
    <message>
        <source>Set by the QWEN_MODE environment variable.</source>
        <translation>由环境变量 QWEN_MODE 设定。</translation>
    </message>
    <message>
        <source>OpenCode</source>
        <translation>OpenCode</translation>
    </message>
    <message>
        <source>Pro&amp;vider id:</source>
        <translation>提供方 ID(&amp;V)：</translation>
    </message>
    <message>
        <source>OpenCode model names start with it, as in “alibaba/coder-model”.</source>
        <translation>OpenCode 的模型名称以它开头，例如“alibaba/coder-model”。</translation>
    </message>
    <message>
        <source>Logging</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>&amp;Debug messages</source>
        <translation>调试信息(&amp;D)</translation>
    </message>
    <message>
        <source>Set by the DEBUG_QWEN_PLUGIN environment variable.</source>
        <translation>由环境变量 DEBUG_QWEN_PLUGIN 设定。</translation>
    </message>
    <message>
        <source>&amp;Write every request to a file (secrets removed)</source>
        <translation>将每个请求写入文件（已去除机密信息）(&amp;W)</translation>
    </message>
    <message>
        <source>Set by the ENABLE_PLUGIN_REQUEST_LOGGING environment variable.</source>
        <translation>由环境变量 ENABLE_PLUGIN_REQUEST_LOGGING 设定。</translation>
    </message>
    <message>
        <source>Advanced: Qwen sign-in</source>
        <translation>高级：Qwen 登录</translation>
    </message>
    <message>
        <source>OAuth &amp;base URL:</source>
        <translation>OAuth 基础 URL(&amp;B)：</translation>
    </message>
    <message>
        <source>Set by the QWEN_BRIDGE_OAUTH_URL environment variable.</source>
        <translation>由环境变量 QWEN_BRIDGE_OAUTH_URL 设定。</translation>
    </message>
    <message>
        <source>&amp;Client id:</source>
        <translation>客户端 ID(&amp;C)：</translation>
    </message>
    <message>
        <source>Changes take effect at the next sign-in.</source>
        <translation>修改将在下次登录时生效。</translation>
    </message>
    <message>
        <source>The port must be a whole number from %1 to 65535 (ports below %1 need administrator rights).</source>
        <translation>端口必须是 %1 到 65535 之间的整数（低于 %1 的端口需要管理员权限）。</translation>
    </message>
    <message>
        <source>The client id must not be empty or contain spaces.</source>
        <translation>客户端 ID 不能为空，也不能包含空格。</translation>
    </message>
    <message>
        <source>After a change, use Configure OpenCode… again.</source>
        <translation>修改后，请再次使用“配置 OpenCode…”。</translation>
    </message>
    <message>
        <source>As auth-config.json says (now on)</source>
        <translation>按 auth-config.json 的设置（当前：开启）</translation>
    </message>
    <message>
        <source>As auth-config.json says (now off)</source>
        <translation>按 auth-config.json 的设置（当前：关闭）</translation>
    </message>
    <message>
        <source>“As auth-config.json says” follows &quot;qwenMode&quot; in %1.</source>
        <translation>“按 auth-config.json 的设置”会使用 %1 中的 &quot;qwenMode&quot;。</translation>
    </message>
    <message>
        <source>Qwen Code&apos;s system prompt, with its tools mapped to OpenCode&apos;s.</source>
        <translation>使用 Qwen Code 的系统提示词，并将其工具对应到 OpenCode 的工具。</translation>
    </message>
    <message>
        <source>The files go to the “requests” folder next to the logs.</source>
        <translation>这些文件保存在日志旁边的“requests”文件夹中。</translation>
    </message>
    <message>
        <source>DEMO: the fake Qwen service on this computer.</source>
        <translation>演示 DEMO：本机上的模拟 Qwen 服务。</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>As the system says (https_proxy, no_proxy)</source>
        <translation>跟随系统设置（https_proxy、no_proxy）</translation>
    </message>
    <message>
        <source>None: connect directly</source>
        <translation>不使用代理：直接连接</translation>
    </message>
    <message>
        <source>This HTTP proxy:</source>
        <translation>使用此 HTTP 代理：</translation>
    </message>
    <message>
        <source>HTTP pro&amp;xy:</source>
        <translation>HTTP 代理(&amp;X)：</translation>
    </message>
    <message>
        <source>Proxy add&amp;ress:</source>
        <translation>代理地址(&amp;R)：</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>未更改</translation>
    </message>
    <message>
        <source>Proxy pass&amp;word:</source>
        <translation>代理密码(&amp;W)：</translation>
    </message>
    <message>
        <source>The password is kept in the keychain.</source>
        <translation>密码保存在钥匙串中。</translation>
    </message>
    <message>
        <source>Fill first (keeps the prompt cache warm)</source>
        <translation>优先用满第一个（保持提示缓存有效）</translation>
    </message>
    <message>
        <source>Round robin</source>
        <translation>轮流使用</translation>
    </message>
    <message>
        <source>With several &amp;credentials:</source>
        <translation>有多个凭据时(&amp;C)：</translation>
    </message>
    <message>
        <source>Set by the QWEN_BRIDGE_ROUTING environment variable.</source>
        <translation>由 QWEN_BRIDGE_ROUTING 环境变量设置。</translation>
    </message>
    <message>
        <source>A credential that runs out hands requests to the next one (Accounts in the tray menu).</source>
        <translation>用完的凭据会把请求交给下一个凭据（见托盘菜单中的“账号”）。</translation>
    </message>
</context>
<context>
    <name>SignInApiKeyPage</name>
    <message>
        <source>Sign in with an API key</source>
        <translation>使用 API 密钥登录</translation>
    </message>
    <message>
        <source>An API key of Alibaba Cloud Model Studio (pay-as-you-go or Coding Plan) lets OpenCode use Qwen models through Qwen Bridge. A key only works in the plan and region it was made for.</source>
        <translation>有了阿里云百炼的 API 密钥（按量付费或 Coding Plan），OpenCode 就能通过 Qwen Bridge 使用 Qwen 模型。密钥只能在创建它的套餐和地域中使用。</translation>
    </message>
    <message>
        <source>Custom endpoint…</source>
        <translation>自定义端点…</translation>
    </message>
    <message>
        <source>&amp;Plan and region:</source>
        <translation>套餐和地域(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Base URL:</source>
        <translation>基础 URL(&amp;B)：</translation>
    </message>
    <message>
        <source>An OpenAI-compatible https:// address; http:// only for this computer.</source>
        <translation>OpenAI 兼容的 https:// 地址；http:// 仅限本机。</translation>
    </message>
    <message>
        <source>sk-…</source>
        <translation>sk-…</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>API 密钥(&amp;K)：</translation>
    </message>
    <message>
        <source>Checking the key with %1…</source>
        <translation>正在通过 %1 检查密钥…</translation>
    </message>
    <message>
        <source>Qwen Bridge keeps it in the system keychain and never shows it again.</source>
        <translation>Qwen Bridge 会将其保存在系统钥匙串中，并且不会再显示它。</translation>
    </message>
    <message>
        <source>Where to get a key</source>
        <translation>如何获取密钥</translation>
    </message>
    <message>
        <source>DEMO: whatever you choose here, the key is checked by the fake service at %1, which accepts the key %2.</source>
        <translation>演示 DEMO：无论在这里选择什么，密钥都由位于 %1 的模拟服务检查，它接受密钥 %2。</translation>
    </message>
    <message>
        <source>Requests go to %1.</source>
        <translation>请求将发送到 %1。</translation>
    </message>
</context>
<context>
    <name>SignInCodePage</name>
    <message>
        <source>Approve this code in your browser</source>
        <translation>请在浏览器中批准此登录码</translation>
    </message>
    <message>
        <source>Qwen Bridge opened the Qwen sign-in page in your browser. Sign in there, check that the page shows this code, and approve.</source>
        <translation>Qwen Bridge 已在浏览器中打开 Qwen 登录页面。请在那里登录，确认页面上显示的是这个登录码，然后批准。</translation>
    </message>
    <message>
        <source>Sign-in code</source>
        <translation>登录码</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the code to the clipboard</source>
        <translation>将登录码复制到剪贴板</translation>
    </message>
    <message>
        <source>Open browser</source>
        <translation>打开浏览器</translation>
    </message>
    <message>
        <source>On another device? Scan this with its camera.</source>
        <translation>在其他设备上登录？请用它的相机扫描此二维码。</translation>
    </message>
    <message>
        <source>Or open %1 yourself and enter the code.</source>
        <translation>也可以自行打开 %1 并输入登录码。</translation>
    </message>
    <message>
        <source>The code expires in %1</source>
        <translation>登录码将在 %1 后过期</translation>
    </message>
    <message>
        <source>Qwen did not answer the last check (%1). Still trying…</source>
        <translation>Qwen 没有响应上一次检查（%1）。仍在尝试…</translation>
    </message>
    <message>
        <source>No browser could be opened. Open the address below yourself, or scan the QR code.</source>
        <translation>无法打开浏览器。请自行打开下面的地址，或扫描二维码。</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in to Qwen — DEMO</source>
        <translation>登录 Qwen — 演示 DEMO</translation>
    </message>
    <message>
        <source>Sign in to Qwen</source>
        <translation>登录 Qwen</translation>
    </message>
    <message>
        <source>DEMO — you are signing in to a fake Qwen service that runs inside Qwen Bridge on this computer.</source>
        <translation>演示 DEMO — 您正在登录的是在本机 Qwen Bridge 内部运行的模拟 Qwen 服务。</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>Saving your sign-in in the system keychain…</source>
        <translation>正在将登录信息保存到系统钥匙串…</translation>
    </message>
    <message>
        <source>You are signed in</source>
        <translation>您已登录</translation>
    </message>
    <message>
        <source>Qwen Bridge keeps you signed in from now on. This window closes by itself.</source>
        <translation>从现在起 Qwen Bridge 会保持您的登录状态。此窗口将自动关闭。</translation>
    </message>
    <message>
        <source>Sign-in was refused</source>
        <translation>登录被拒绝</translation>
    </message>
    <message>
        <source>The request was declined on the Qwen page. If that was a mistake, try again and choose to approve.</source>
        <translation>该请求已在 Qwen 页面上被拒绝。如果是误操作，请重试并选择批准。</translation>
    </message>
    <message>
        <source>The code expired</source>
        <translation>登录码已过期</translation>
    </message>
    <message>
        <source>The code was not approved in time. Try again to get a new one.</source>
        <translation>登录码没有在有效期内获得批准。请重试以获取新的登录码。</translation>
    </message>
    <message>
        <source>Qwen could not be reached</source>
        <translation>无法连接 Qwen</translation>
    </message>
    <message>
        <source>Sign-in did not work</source>
        <translation>登录未成功</translation>
    </message>
    <message>
        <source>Use an API key instead…</source>
        <translation>改用 API 密钥…</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>The sign-in could not be started.</source>
        <translation>无法开始登录。</translation>
    </message>
    <message>
        <source>Your sign-in could not be saved</source>
        <translation>无法保存您的登录信息</translation>
    </message>
    <message>
        <source>Check your internet connection, then try again.

%1</source>
        <translation>请检查网络连接，然后重试。

%1</translation>
    </message>
    <message>
        <source>Check and save</source>
        <translation>检查并保存</translation>
    </message>
    <message>
        <source>Asks the service whether it accepts the key; nothing is stored unless it does.</source>
        <translation>询问服务是否接受此密钥；只有被接受时才会保存。</translation>
    </message>
    <message>
        <source>Paste your API key first.</source>
        <translation>请先粘贴您的 API 密钥。</translation>
    </message>
    <message>
        <source>Sign in with your Qwen account instead</source>
        <translation>改用 Qwen 账号登录</translation>
    </message>
    <message>
        <source>The key could not be checked.</source>
        <translation>无法检查密钥。</translation>
    </message>
    <message>
        <source>Nothing was stored.</source>
        <translation>未保存任何内容。</translation>
    </message>
    <message>
        <source>Key accepted</source>
        <translation>密钥已被接受</translation>
    </message>
    <message>
        <source>Saving your key in the system keychain…</source>
        <translation>正在将密钥保存到系统钥匙串…</translation>
    </message>
    <message>
        <source>Your key could not be saved</source>
        <translation>无法保存您的密钥</translation>
    </message>
    <message>
        <source>Signed in with an API key for %1</source>
        <translation>已使用 %1 的 API 密钥登录</translation>
    </message>
    <message>
        <source>OpenCode&apos;s requests now go to %1. This window closes by itself.</source>
        <translation>OpenCode 的请求现在发送到 %1。此窗口将自动关闭。</translation>
    </message>
</context>
<context>
    <name>SignInStartingPage</name>
    <message>
        <source>Connecting to Qwen…</source>
        <translation>正在连接 Qwen…</translation>
    </message>
    <message>
        <source>Asking Qwen for a sign-in code.</source>
        <translation>正在向 Qwen 请求登录码。</translation>
    </message>
</context>
<context>
    <name>StatusReport</name>
    <message>
        <source>Not signed in. Run `qwen-bridge login` to sign in.</source>
        <translation>尚未登录。运行 `qwen-bridge login` 登录。</translation>
    </message>
    <message>
        <source>Signed in. The access token has expired; Qwen Bridge renews it on the next use.</source>
        <translation>已登录。访问令牌已过期；Qwen Bridge 会在下次使用时为其续期。</translation>
    </message>
    <message>
        <source>Signed in.</source>
        <translation>已登录。</translation>
    </message>
    <message>
        <source>State:    %1</source>
        <translation>状态：     %1</translation>
    </message>
    <message>
        <source>Method:   %1</source>
        <translation>方式：     %1</translation>
    </message>
    <message>
        <source>Plan:     %1 (%2)</source>
        <translation>套餐：     %1（%2）</translation>
    </message>
    <message>
        <source>Expires:  %1</source>
        <translation>过期时间： %1</translation>
    </message>
    <message>
        <source>API base: %1</source>
        <translation>API 地址： %1</translation>
    </message>
    <message>
        <source>Proxy:    %1 (%2)</source>
        <translation>代理：     %1（%2）</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>not running</source>
        <translation>未运行</translation>
    </message>
    <message>
        <source>HTTP proxy: %1</source>
        <translation>HTTP 代理：%1</translation>
    </message>
    <message>
        <source>QWEN_MODE: %1 (%2)</source>
        <translation>QWEN_MODE：%1（%2）</translation>
    </message>
    <message>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>Request logs: %1</source>
        <translation>请求日志：%1</translation>
    </message>
    <message>
        <source>Credentials are kept in the file %1 (no keychain service).</source>
        <translation>凭据保存在文件 %1 中（没有钥匙串服务）。</translation>
    </message>
    <message numerus="yes">
        <source>Serving:  %1 (of %n credential(s); `qwen-bridge accounts` lists them)</source>
        <translation>
            <numerusform>正在服务：%1（共 %n 个凭据；`qwen-bridge accounts` 会列出它们）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StatusWindow</name>
    <message>
        <source>Qwen Bridge — DEMO</source>
        <translation>Qwen Bridge — 演示 DEMO</translation>
    </message>
    <message>
        <source>Qwen Bridge</source>
        <translation>Qwen Bridge</translation>
    </message>
    <message>
        <source>Qwen Bridge is also in the system tray. Closing this window keeps it running there.</source>
        <translation>Qwen Bridge 也在系统托盘中。关闭此窗口后它会继续在托盘中运行。</translation>
    </message>
    <message>
        <source>No system tray was found, so Qwen Bridge shows this window instead. Closing it only minimizes it; use Quit to stop Qwen Bridge.</source>
        <translation>未找到系统托盘，因此 Qwen Bridge 改为显示此窗口。关闭窗口只会将其最小化；要停止 Qwen Bridge，请使用“退出”。</translation>
    </message>
    <message>
        <source>DEMO — uses a fake Qwen service on this computer</source>
        <translation>演示 DEMO — 使用本机上的模拟 Qwen 服务</translation>
    </message>
    <message>
        <source>Qwen Bridge runs in this window (--windowed). Closing it only minimizes it; use Quit to stop Qwen Bridge.</source>
        <translation>Qwen Bridge 在此窗口中运行（--windowed）。关闭窗口只会将其最小化；要停止 Qwen Bridge，请使用“退出”。</translation>
    </message>
</context>
<context>
    <name>TokenRefresher</name>
    <message>
        <source>The Qwen sign-in server could not be reached to renew the session.</source>
        <translation>无法连接 Qwen 登录服务器为会话续期。</translation>
    </message>
    <message>
        <source>The Qwen sign-in server had a problem renewing the session (HTTP %1).</source>
        <translation>Qwen 登录服务器在为会话续期时出现问题（HTTP %1）。</translation>
    </message>
    <message>
        <source>The Qwen sign-in server gave an unexpected answer (HTTP %1) while renewing the session.</source>
        <translation>Qwen 登录服务器在为会话续期时返回了意外的响应（HTTP %1）。</translation>
    </message>
    <message>
        <source>Your Qwen session has ended (%1). Sign in again in Qwen Bridge or run `qwen-bridge login`.</source>
        <translation>您的 Qwen 会话已结束（%1）。请在 Qwen Bridge 中重新登录，或运行 `qwen-bridge login`。</translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message>
        <source>DEMO — fake Qwen service on this computer</source>
        <translation>演示 DEMO — 本机上的模拟 Qwen 服务</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Configure OpenCode…</source>
        <translation>配置 OpenCode…</translation>
    </message>
    <message>
        <source>Copy OpenCode config</source>
        <translation>复制 OpenCode 配置</translation>
    </message>
    <message>
        <source>Copy proxy URL and key</source>
        <translation>复制代理 URL 和密钥</translation>
    </message>
    <message>
        <source>Open logs folder</source>
        <translation>打开日志文件夹</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Start at login</source>
        <translation>登录时启动</translation>
    </message>
    <message>
        <source>About Qwen Bridge</source>
        <translation>关于 Qwen Bridge</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>The proxy could not start</source>
        <translation>代理无法启动</translation>
    </message>
    <message>
        <source>The keychain is not available</source>
        <translation>钥匙串不可用</translation>
    </message>
    <message>
        <source>%1 (DEMO)</source>
        <translation>%1（演示 DEMO）</translation>
    </message>
    <message>
        <source>Sign in to Qwen again</source>
        <translation>请重新登录 Qwen</translation>
    </message>
    <message>
        <source>Your Qwen sign-in has ended. Choose “Sign in again…” in the Qwen Bridge menu.</source>
        <translation>您的 Qwen 登录已失效。请在 Qwen Bridge 菜单中选择“重新登录…”。</translation>
    </message>
    <message>
        <source>Signed in to Qwen</source>
        <translation>已登录 Qwen</translation>
    </message>
    <message>
        <source>OpenCode can now use Qwen through %1.</source>
        <translation>OpenCode 现在可以通过 %1 使用 Qwen 了。</translation>
    </message>
    <message>
        <source>Sign out of Qwen?</source>
        <translation>要退出 Qwen 登录吗？</translation>
    </message>
    <message>
        <source>Qwen Bridge removes your sign-in from the keychain. OpenCode&apos;s requests fail until you sign in again.</source>
        <translation>Qwen Bridge 会从钥匙串中删除您的登录信息。在您重新登录之前，OpenCode 的请求都会失败。</translation>
    </message>
    <message>
        <source>Sign-out did not finish</source>
        <translation>退出登录未完成</translation>
    </message>
    <message>
        <source>OpenCode configured</source>
        <translation>OpenCode 已配置</translation>
    </message>
    <message>
        <source>%1 now points OpenCode at Qwen Bridge.</source>
        <translation>%1 现在让 OpenCode 使用 Qwen Bridge。</translation>
    </message>
    <message>
        <source>Base URL: %1
API key: %2
</source>
        <translation>基础 URL：%1
API 密钥：%2
</translation>
    </message>
    <message>
        <source>No file manager found</source>
        <translation>未找到文件管理器</translation>
    </message>
    <message>
        <source>The logs are in %1</source>
        <translation>日志位于 %1</translation>
    </message>
    <message>
        <source>Proxy moved to port %1</source>
        <translation>代理已改用端口 %1</translation>
    </message>
    <message>
        <source>Use Configure OpenCode… so that OpenCode follows.</source>
        <translation>请使用“配置 OpenCode…”，让 OpenCode 跟着改用新端口。</translation>
    </message>
    <message>
        <source>Start at login could not be changed</source>
        <translation>无法更改“登录时启动”</translation>
    </message>
    <message>
        <source>This API key has no quota left</source>
        <translation>此 API 密钥已没有额度</translation>
    </message>
    <message>
        <source>Check its balance and plan in Alibaba Cloud Model Studio, or use another key.</source>
        <translation>请在阿里云百炼中检查它的余额和套餐，或改用其他密钥。</translation>
    </message>
    <message>
        <source>Qwen&apos;s OAuth quota is used up</source>
        <translation>Qwen 的 OAuth 额度已用完</translation>
    </message>
    <message>
        <source>Qwen ended its free OAuth tier. Use an API key to keep OpenCode working.</source>
        <translation>Qwen 已停止免费 OAuth 服务。请使用 API 密钥，让 OpenCode 继续工作。</translation>
    </message>
    <message>
        <source>Signed in with an API key for %1</source>
        <translation>已使用 %1 的 API 密钥登录</translation>
    </message>
    <message>
        <source>The sign-in could not be taken over</source>
        <translation>无法接管该登录</translation>
    </message>
    <message>
        <source>Qwen Bridge renews the session of %1 from now on.</source>
        <translation>从现在起由 Qwen Bridge 为 %1 的会话续期。</translation>
    </message>
    <message>
        <source>%1 was deleted.</source>
        <translation>%1 已删除。</translation>
    </message>
    <message>
        <source>%1 could not be deleted.</source>
        <translation>无法删除 %1。</translation>
    </message>
    <message>
        <source>Usage…</source>
        <translation>用量…</translation>
    </message>
    <message>
        <source>The usage meter starts afresh</source>
        <translation>用量统计已重新开始</translation>
    </message>
    <message>
        <source>Update OpenCode</source>
        <translation>更新 OpenCode</translation>
    </message>
    <message>
        <source>Rewrite OpenCode&apos;s configuration for %1?</source>
        <translation>要为 %1 重写 OpenCode 的配置吗？</translation>
    </message>
    <message>
        <source>your Qwen account</source>
        <translation>您的 Qwen 账号</translation>
    </message>
    <message>
        <source>%1 still lists the models of your previous sign-in. Qwen Bridge can put in this plan&apos;s models and their limits, keeping a backup of the file.</source>
        <translation>%1 中仍列出您上一次登录时的模型。Qwen Bridge 可以填入此套餐的模型及其限制，并保留该文件的备份。</translation>
    </message>
    <message>
        <source>Review and rewrite…</source>
        <translation>检查并重写…</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>以后再说</translation>
    </message>
    <message>
        <source>The HTTP proxy setting was not saved</source>
        <translation>HTTP 代理设置未保存</translation>
    </message>
    <message>
        <source>Now using “%1”</source>
        <translation>现在使用“%1”</translation>
    </message>
    <message>
        <source>Requests go to “%1” instead of “%2”.</source>
        <translation>请求改为发送到“%1”，而不是“%2”。</translation>
    </message>
    <message>
        <source>“%1” stopped: %2</source>
        <translation>“%1”已停用：%2</translation>
    </message>
</context>
<context>
    <name>TrayStatusModel</name>
    <message>
        <source>less than a minute</source>
        <translation>不到一分钟</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分钟</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 天 %2 小时</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>Signed in with an API key</source>
        <translation>已使用 API 密钥登录</translation>
    </message>
    <message>
        <source>Signed in with your Qwen account</source>
        <translation>已使用 Qwen 账号登录</translation>
    </message>
    <message>
        <source>Renewing the sign-in…</source>
        <translation>正在续期登录…</translation>
    </message>
    <message>
        <source>Offline: retrying</source>
        <translation>离线：正在重试</translation>
    </message>
    <message>
        <source>Sign in again</source>
        <translation>需要重新登录</translation>
    </message>
    <message>
        <source>The keychain is not available</source>
        <translation>钥匙串不可用</translation>
    </message>
    <message>
        <source>Local key: %1</source>
        <translation>本地密钥：%1</translation>
    </message>
    <message>
        <source>Qwen Bridge DEMO</source>
        <translation>Qwen Bridge 演示 DEMO</translation>
    </message>
    <message>
        <source>Qwen Bridge</source>
        <translation>Qwen Bridge</translation>
    </message>
    <message>
        <source>Token expires in %1 (renewed automatically)</source>
        <translation>令牌将在 %1 后过期（会自动续期）</translation>
    </message>
    <message>
        <source>Token expired; renewing</source>
        <translation>令牌已过期；正在续期</translation>
    </message>
    <message>
        <source>Proxy: %1</source>
        <translation>代理：%1</translation>
    </message>
    <message>
        <source>Proxy stopped: %1</source>
        <translation>代理已停止：%1</translation>
    </message>
    <message>
        <source>Proxy starting…</source>
        <translation>代理正在启动…</translation>
    </message>
    <message>
        <source>Requests today: %1</source>
        <translation>今日请求数：%1</translation>
    </message>
    <message>
        <source>Sign in again…</source>
        <translation>重新登录…</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>登录…</translation>
    </message>
    <message>
        <source>Waiting for the local key from the keychain</source>
        <translation>正在等待从钥匙串读取本地密钥</translation>
    </message>
    <message>
        <source>API key quota used up</source>
        <translation>API 密钥额度已用完</translation>
    </message>
    <message>
        <source>OAuth quota used up</source>
        <translation>OAuth 额度已用完</translation>
    </message>
    <message>
        <source>Key for %1</source>
        <translation>%1 的密钥</translation>
    </message>
    <message>
        <source>Requests fail until the key&apos;s plan has quota again.</source>
        <translation>在密钥所属套餐重新有额度之前，请求都会失败。</translation>
    </message>
    <message>
        <source>Requests fail until you switch to an API key.</source>
        <translation>在您改用 API 密钥之前，请求都会失败。</translation>
    </message>
    <message>
        <source>Sign in with your Qwen account…</source>
        <translation>使用 Qwen 账号登录…</translation>
    </message>
    <message>
        <source>Use an API key instead…</source>
        <translation>改用 API 密钥…</translation>
    </message>
    <message>
        <source>Use another API key…</source>
        <translation>使用其他 API 密钥…</translation>
    </message>
    <message>
        <source>Use an API key…</source>
        <translation>使用 API 密钥…</translation>
    </message>
    <message>
        <source>Token valid until %1 (renewed automatically)</source>
        <translation>令牌有效期至 %1（会自动续期）</translation>
    </message>
    <message>
        <source>%1 tomorrow</source>
        <translation>明天 %1</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1 %2</translation>
    </message>
</context>
<context>
    <name>UpstreamError</name>
    <message>
        <source>%1 serves only coding agents and did not take this client for one (HTTP 405: &quot;%2&quot;). Qwen Bridge passes the client&apos;s own User-Agent on, and OpenCode is taken for a coding agent; other tools need a pay-as-you-go key.</source>
        <translation>%1 只为编程智能体提供服务，且未将此客户端识别为编程智能体（HTTP 405：“%2”）。Qwen Bridge 会原样转发客户端自己的 User-Agent，OpenCode 会被识别为编程智能体；其他工具需要使用按量付费的密钥。</translation>
    </message>
    <message>
        <source>%1&apos;s short-term request quota (the Coding Plan counts 5 hours) is used up (&quot;%2&quot;). Requests free up as the window moves on: try again later.</source>
        <translation>%1 的短期请求额度（Coding Plan 按 5 小时计算）已用完（“%2”）。随着时间窗口推移，额度会逐步释放：请稍后重试。</translation>
    </message>
    <message>
        <source>%1&apos;s weekly request quota is used up (&quot;%2&quot;). It resets on Monday at 00:00 UTC+8, that is %3 your time.</source>
        <translation>%1 的每周请求额度已用完（“%2”）。额度将在周一 00:00（UTC+8）重置，即您当地时间 %3。</translation>
    </message>
    <message>
        <source>%1&apos;s monthly request quota is used up (&quot;%2&quot;). It resets on the day of the month the subscription began.</source>
        <translation>%1 的每月请求额度已用完（“%2”）。额度将在每月的订阅开始日重置。</translation>
    </message>
    <message>
        <source>%1 is already answering as many requests at once as the plan allows (&quot;%2&quot;). Try again in a moment.</source>
        <translation>%1 正在处理的并发请求数已达到套餐允许的上限（“%2”）。请稍后重试。</translation>
    </message>
    <message>
        <source>Alibaba Cloud refused the request because the account behind this key has an overdue bill (&quot;%1&quot;). Settle it in the Alibaba Cloud console; the key works again after that.</source>
        <translation>阿里云拒绝了该请求，因为此密钥所属的账号有逾期未付的账单（“%1”）。请在阿里云控制台中结清欠费；之后密钥即可恢复使用。</translation>
    </message>
    <message>
        <source>The free quota of %1 is used up, and the key is set to use the free tier only. Turn off &quot;free tier only&quot; for the model in the Model Studio console to go on with paid use, or choose another model.</source>
        <translation>%1 的免费额度已用完，且该密钥被设置为仅使用免费额度。请在百炼控制台中为该模型关闭“免费额度用完即停”以继续付费使用，或选择其他模型。</translation>
    </message>
    <message>
        <source>%1 does not serve the model &quot;%2&quot; (&quot;%3&quot;).</source>
        <translation>%1 不提供模型“%2”（“%3”）。</translation>
    </message>
    <message>
        <source>%1 does not serve the model &quot;%2&quot;. Its models are: %3. Model names are exact, capitals included.</source>
        <translation>%1 不提供模型“%2”。它提供的模型有：%3。模型名称必须完全一致，包括大小写。</translation>
    </message>
    <message>
        <source>%1 no longer accepts this key, which worked before: the plan may have expired or the key was disabled (&quot;%2&quot;). Check the subscription in the Model Studio console; then sign in with a new key if needed (`qwen-bridge login --api-key`).</source>
        <translation>%1 不再接受此密钥（它以前可以使用）：套餐可能已过期，或密钥已被禁用（“%2”）。请在百炼控制台中检查订阅；如有需要，再用新密钥登录（`qwen-bridge login --api-key`）。</translation>
    </message>
    <message>
        <source>Your Qwen account has no OAuth quota left: Qwen ended the free OAuth tier on 2026-04-15. Sign in with an API key instead (Alibaba Cloud Model Studio or Coding Plan) in Qwen Bridge, or run `qwen-bridge login --api-key`.</source>
        <translation>您的 Qwen 账号已没有 OAuth 额度：Qwen 已于 2026-04-15 停止免费 OAuth 服务。请改用 API 密钥登录（阿里云百炼或 Coding Plan）：在 Qwen Bridge 中登录，或运行 `qwen-bridge login --api-key`。</translation>
    </message>
    <message>
        <source>The model service says this API key has no quota left. Check the balance and plan of the key in Alibaba Cloud Model Studio.</source>
        <translation>模型服务表示此 API 密钥已没有额度。请在阿里云百炼中检查该密钥的余额和套餐。</translation>
    </message>
    <message>
        <source>The model service refused the API key. Keys only work in their own region and plan: check the key and the base URL, then run `qwen-bridge login --api-key` again.</source>
        <translation>模型服务拒绝了此 API 密钥。密钥只能在其所属的地域和套餐中使用：请检查密钥和基础 URL，然后重新运行 `qwen-bridge login --api-key`。</translation>
    </message>
    <message>
        <source>The Qwen API is limiting requests. Wait a moment and try again.</source>
        <translation>Qwen API 正在限制请求频率。请稍候再试。</translation>
    </message>
    <message>
        <source>The Qwen API is limiting requests. Try again in %1 seconds.</source>
        <translation>Qwen API 正在限制请求频率。请在 %1 秒后重试。</translation>
    </message>
    <message>
        <source>The Qwen API had a problem (HTTP %1). Try again in a moment.</source>
        <translation>Qwen API 出现问题（HTTP %1）。请稍后重试。</translation>
    </message>
    <message>
        <source>The Qwen API answered HTTP %1: %2</source>
        <translation>Qwen API 返回 HTTP %1：%2</translation>
    </message>
    <message>
        <source>(The service said: %1)</source>
        <translation>（服务返回：%1）</translation>
    </message>
    <message>
        <source>The Qwen API at %1 did not answer within %2 seconds. Try again.</source>
        <translation>位于 %1 的 Qwen API 在 %2 秒内没有响应。请重试。</translation>
    </message>
    <message>
        <source>The name %1 could not be resolved. Check your network connection and DNS.</source>
        <translation>无法解析域名 %1。请检查网络连接和 DNS。</translation>
    </message>
    <message>
        <source>A secure connection to %1 could not be made (%2). Check the API address and the system&apos;s certificates.</source>
        <translation>无法与 %1 建立安全连接（%2）。请检查 API 地址和系统证书。</translation>
    </message>
    <message>
        <source>%1 refused the connection. Check the API address.</source>
        <translation>%1 拒绝了连接。请检查 API 地址。</translation>
    </message>
    <message>
        <source>No connection to the Qwen API at %1 could be set up within %2 seconds. Check your network connection, firewall and proxy settings.</source>
        <translation>无法在 %2 秒内建立与位于 %1 的 Qwen API 的连接。请检查网络连接、防火墙和代理设置。</translation>
    </message>
    <message>
        <source>Could not reach the Qwen API at %1: %2</source>
        <translation>无法连接位于 %1 的 Qwen API：%2</translation>
    </message>
    <message>
        <source>The Qwen API stopped sending its answer and did not go on for %1 seconds. Try again.</source>
        <translation>Qwen API 停止发送回答，%1 秒内没有继续。请重试。</translation>
    </message>
    <message>
        <source>The connection to the Qwen API broke before the answer was complete (%1). Try again.</source>
        <translation>与 Qwen API 的连接在回答完成之前断开（%1）。请重试。</translation>
    </message>
    <message>
        <source>The Qwen API&apos;s answer was cut off or unreadable (%1 bytes of JSON that does not parse). Try again.</source>
        <translation>Qwen API 的回答被截断或无法读取（%1 字节无法解析的 JSON）。请重试。</translation>
    </message>
    <message>
        <source>The Qwen API stopped sending in the middle of the answer and did not go on for %1 seconds. Try again.</source>
        <translation>Qwen API 在回答中途停止发送，%1 秒内没有继续。请重试。</translation>
    </message>
    <message>
        <source>The connection to the Qwen API broke in the middle of the answer (%1). Try again.</source>
        <translation>与 Qwen API 的连接在回答中途断开（%1）。请重试。</translation>
    </message>
    <message>
        <source>The connection to the Qwen API ended before the answer was complete. Try again.</source>
        <translation>与 Qwen API 的连接在回答完成之前就结束了。请重试。</translation>
    </message>
    <message>
        <source>The Qwen API sent an event larger than Qwen Bridge accepts.</source>
        <translation>Qwen API 发送的事件超过了 Qwen Bridge 能接受的大小。</translation>
    </message>
    <message>
        <source>The Qwen API refused the token even after renewing it. Sign in again in Qwen Bridge or run `qwen-bridge login`.</source>
        <translation>即使续期之后，Qwen API 仍拒绝了令牌。请在 Qwen Bridge 中重新登录，或运行 `qwen-bridge login`。</translation>
    </message>
</context>
<context>
    <name>UrlPolicy</name>
    <message>
        <source>Enter the base URL, such as %1.</source>
        <translation>请输入基础 URL，例如 %1。</translation>
    </message>
    <message>
        <source>The base URL must not contain a user name or password.</source>
        <translation>基础 URL 不能包含用户名或密码。</translation>
    </message>
    <message>
        <source>The base URL must not have a query (?…) or a fragment (#…).</source>
        <translation>基础 URL 不能包含查询参数（?…）或片段（#…）。</translation>
    </message>
    <message>
        <source>The base URL must be an https:// address (http:// only for this computer), such as %1.</source>
        <translation>基础 URL 必须是 https:// 地址（http:// 仅限本机），例如 %1。</translation>
    </message>
</context>
<context>
    <name>UsageCharts</name>
    <message>
        <source>%1 is not the usage charts plugin</source>
        <translation>%1 不是用量图表插件</translation>
    </message>
    <message>
        <source>The charts plugin is not installed (looked for %1).</source>
        <translation>未安装图表插件（已查找 %1）。</translation>
    </message>
</context>
<context>
    <name>UsageMonitor</name>
    <message>
        <source>Your plan</source>
        <translation>您的套餐</translation>
    </message>
    <message>
        <source>%1: the limit %2 is reached</source>
        <translation>%1：%2的限额已用完</translation>
    </message>
    <message>
        <source>%1. Requests on this plan may be refused until then (%2).</source>
        <translation>%1。在此之前，此套餐的请求可能会被拒绝（%2）。</translation>
    </message>
    <message>
        <source>%1: %2% of the limit %3 used</source>
        <translation>%1：%3的限额已用 %2%</translation>
    </message>
    <message>
        <source>%1 (%2).</source>
        <translation>%1（%2）。</translation>
    </message>
</context>
<context>
    <name>UsageReport</name>
    <message>
        <source>Qwen account</source>
        <translation>Qwen 账号</translation>
    </message>
    <message>
        <source>in 5 h</source>
        <translation>5 小时内</translation>
    </message>
    <message>
        <source>this week</source>
        <translation>本周</translation>
    </message>
    <message>
        <source>this month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>%1 M</source>
        <comment>millions</comment>
        <translation>%1 M</translation>
    </message>
    <message>
        <source>%1 k</source>
        <comment>thousands</comment>
        <translation>%1 k</translation>
    </message>
    <message>
        <source>%1 / %2 tokens</source>
        <translation>%1 / %2 Token</translation>
    </message>
    <message>
        <source>%1 / %2 requests</source>
        <translation>%1 / %2 次请求</translation>
    </message>
    <message>
        <source>%1 tokens (no limit set)</source>
        <translation>%1 Token（未设置限额）</translation>
    </message>
    <message>
        <source>%1 requests</source>
        <translation>%1 次请求</translation>
    </message>
    <message>
        <source>%1 · used up until %2</source>
        <translation>%1 · 已用完，%2 恢复</translation>
    </message>
    <message>
        <source>%1 · resets %2</source>
        <translation>%1 · %2 重置</translation>
    </message>
    <message>
        <source>Token Plan</source>
        <translation>Token Plan</translation>
    </message>
    <message>
        <source>Coding Plan</source>
        <translation>Coding Plan</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 Token</translation>
    </message>
    <message>
        <source>%1: used up %2 · until %3</source>
        <translation>%1：%2已用完 · %3 恢复</translation>
    </message>
    <message>
        <source>%1: %2 %3 · resets %4</source>
        <translation>%1：%3 %2 · %4 重置</translation>
    </message>
    <message>
        <source>today: %1 tokens, ≈ %2</source>
        <translation>今日：%1 Token，≈ %2</translation>
    </message>
    <message>
        <source>today: 1 request, %1 tokens</source>
        <translation>今日：1 次请求，%1 Token</translation>
    </message>
    <message>
        <source>today: %1 requests, %2 tokens</source>
        <translation>今日：%1 次请求，%2 Token</translation>
    </message>
    <message>
        <source>Usage today, counted on this computer</source>
        <translation>今日用量，在本机上统计</translation>
    </message>
    <message>
        <source>Usage over the last %1 days, counted on this computer</source>
        <translation>最近 %1 天的用量，在本机上统计</translation>
    </message>
    <message>
        <source>date        requests  prompt tok  completion tok  cached tok  reasoning tok</source>
        <translation>日期          请求数  输入 Token      输出 Token  缓存 Token     推理 Token</translation>
    </message>
    <message>
        <source>total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>By model:</source>
        <translation>按模型：</translation>
    </message>
    <message>
        <source>  %1: %2 requests, %3 tokens</source>
        <translation>  %1：%2 次请求，%3 Token</translation>
    </message>
    <message>
        <source>Nothing was counted in these days.</source>
        <translation>这些天内没有统计到任何用量。</translation>
    </message>
    <message>
        <source>Plan: %1</source>
        <translation>套餐：%1</translation>
    </message>
    <message>
        <source>  %1: %2</source>
        <translation>  %1：%2</translation>
    </message>
    <message>
        <source>  today: ≈ %1 (an estimate from list prices, not a bill)</source>
        <translation>  今日：≈ %1（根据标价估算，并非账单）</translation>
    </message>
    <message>
        <source>  without a known price: %1</source>
        <translation>  价格未知的模型：%1</translation>
    </message>
    <message>
        <source>counted on this computer</source>
        <translation>在本机上统计</translation>
    </message>
    <message>
        <source>By credential:</source>
        <translation>按凭据：</translation>
    </message>
    <message>
        <source>(older than 30 days)</source>
        <translation>（30 天以前）</translation>
    </message>
</context>
<context>
    <name>UsageSettingsGroup</name>
    <message>
        <source>Usage meter</source>
        <translation>用量统计</translation>
    </message>
    <message>
        <source>Lite (1,200 requests in 5 hours)</source>
        <translation>Lite（5 小时内 1,200 次请求）</translation>
    </message>
    <message>
        <source>Pro (6,000 requests in 5 hours)</source>
        <translation>Pro（5 小时内 6,000 次请求）</translation>
    </message>
    <message>
        <source>Coding Plan &amp;tier:</source>
        <translation>Coding Plan 档位(&amp;T)：</translation>
    </message>
    <message>
        <source>The monthly quota starts again on this day (the last day in shorter months).</source>
        <translation>每月额度在这一天重新开始（在较短的月份中为该月最后一天）。</translation>
    </message>
    <message>
        <source>Subscription &amp;day of the month:</source>
        <translation>每月订阅日(&amp;D)：</translation>
    </message>
    <message>
        <source> million tokens</source>
        <translation> 百万 Token</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>The Token Plan states its quota in credits; what a credit is worth in tokens depends on the model.</source>
        <translation>Token Plan 以积分表示额度；一个积分相当于多少 Token 取决于模型。</translation>
    </message>
    <message>
        <source>Token Plan monthly &amp;limit:</source>
        <translation>Token Plan 每月限额(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Count requests on this computer</source>
        <translation>在本机统计请求(&amp;C)</translation>
    </message>
    <message>
        <source>Records the time, model, status and token counts of each request, never its content. Off, nothing new is counted.</source>
        <translation>记录每个请求的时间、模型、状态和令牌数，从不记录其内容。关闭后不再统计新的请求。</translation>
    </message>
</context>
<context>
    <name>UsageStore</name>
    <message>
        <source>The usage database was damaged. It was moved to %1 and a new one was started; earlier usage is not shown.</source>
        <translation>用量数据库已损坏。它已被移到 %1，并新建了一个数据库；之前的用量不会显示。</translation>
    </message>
    <message>
        <source>The usage database %1 is damaged and could not be moved aside; usage is not recorded.</source>
        <translation>用量数据库 %1 已损坏且无法移开；不会记录用量。</translation>
    </message>
</context>
<context>
    <name>UsageWindow</name>
    <message>
        <source>%1, %2 – %3</source>
        <translation>%1，%2 – %3</translation>
    </message>
    <message>
        <source>Usage - Qwen Bridge</source>
        <translation>用量 - Qwen Bridge</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>最近 90 天</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Counted on this computer: requests made elsewhere with the same key are not included.</source>
        <translation>在本机上统计：使用同一密钥在其他地方发出的请求不包括在内。</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求数</translation>
    </message>
    <message>
        <source>Prompt tokens</source>
        <translation>输入 Token</translation>
    </message>
    <message>
        <source>Completion tokens</source>
        <translation>输出 Token</translation>
    </message>
    <message>
        <source>By model</source>
        <translation>按模型</translation>
    </message>
    <message>
        <source>Token Plan</source>
        <translation>Token Plan</translation>
    </message>
    <message>
        <source>Coding Plan</source>
        <translation>Coding Plan</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>≈ $%1 today: an estimate from list prices, not a bill</source>
        <translation>今日 ≈ $%1：根据标价估算，并非账单</translation>
    </message>
    <message>
        <source>This plan has no quota windows to show.</source>
        <translation>此套餐没有可显示的额度窗口。</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Prompt, cached</source>
        <translation>输入（缓存命中）</translation>
    </message>
    <message>
        <source>Completion</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Requests per day</source>
        <translation>每日请求数</translation>
    </message>
    <message>
        <source>Tokens per day (millions)</source>
        <translation>每日 Token 数（百万）</translation>
    </message>
    <message>
        <source>Tokens per day (thousands)</source>
        <translation>每日 Token 数（千）</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Export usage</source>
        <translation>导出用量</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>The charts cannot be shown: %1</source>
        <translation>无法显示图表：%1</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>No graphical display: starting without the tray, as `qwen-bridge serve`. Sign in with `qwen-bridge login` in another terminal.
</source>
        <translation>没有图形显示：以 `qwen-bridge serve` 方式在无托盘模式下启动。请在另一个终端中用 `qwen-bridge login` 登录。
</translation>
    </message>
    <message>
        <source>Unknown option: %1
</source>
        <translation>未知选项：%1
</translation>
    </message>
    <message>
        <source>Run `qwen-bridge --help` to see what it takes.
</source>
        <translation>运行 `qwen-bridge --help` 查看可用的选项。
</translation>
    </message>
</context>
</TS>
