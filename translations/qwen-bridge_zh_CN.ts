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
    <name>ApiKeyCheck</name>
    <message>
        <source>This key was refused by %1; keys only work in their own region and plan. Check the key, or choose the preset of the plan and region it was made for.</source>
        <translation>%1 拒绝了此密钥；密钥只能在其所属的地域和套餐中使用。请检查密钥，或选择创建该密钥时所属套餐和地域的预设。</translation>
    </message>
    <message>
        <source>Could not reach %1 to check the key: %2</source>
        <translation>无法连接 %1 来检查密钥：%2</translation>
    </message>
    <message>
        <source>%1 could not check the key (HTTP %2). Try again later.</source>
        <translation>%1 无法检查密钥（HTTP %2）。请稍后重试。</translation>
    </message>
</context>
<context>
    <name>ApiKeyPresets</name>
    <message>
        <source>Coding Plan (global)</source>
        <translation>Coding Plan（国际）</translation>
    </message>
    <message>
        <source>Coding Plan (China)</source>
        <translation>Coding Plan（中国）</translation>
    </message>
    <message>
        <source>Model Studio pay-as-you-go (Singapore)</source>
        <translation>百炼按量付费（新加坡）</translation>
    </message>
    <message>
        <source>Model Studio pay-as-you-go (Beijing)</source>
        <translation>百炼按量付费（北京）</translation>
    </message>
    <message>
        <source>Model Studio pay-as-you-go (US, Virginia)</source>
        <translation>百炼按量付费（美国弗吉尼亚）</translation>
    </message>
    <message>
        <source>Model Studio pay-as-you-go (Hong Kong)</source>
        <translation>百炼按量付费（中国香港）</translation>
    </message>
    <message>
        <source>the custom endpoint %1</source>
        <translation>自定义端点 %1</translation>
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
        <source>Usage: qwen-bridge [COMMAND] [OPTIONS]

Use Qwen models in OpenCode with your Qwen account. Without a command, the tray
application starts.

Commands:
  login [--no-browser] [--allow-file-storage]
                              sign in with your Qwen account in the terminal
  login --api-key [--preset NAME | --base-url URL]
                              sign in with a Model Studio or Coding Plan API
                              key read from standard input
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

Options:
  --demo                      the tray application against a built-in fake Qwen
  --windowed                  a status window instead of the tray icon
  -h, --help                  show this help
  -v, --version               show the version

Exit codes: 0 done, 1 other failure, 2 sign-in refused, 3 sign-in code expired,
4 network or server failure, 5 keychain failure, 64 wrong usage, 130 cancelled.
</source>
        <translation>用法：qwen-bridge [命令] [选项]

用您的 Qwen 账号在 OpenCode 中使用 Qwen 模型。不带命令时启动托盘应用程序。

命令：
  login [--no-browser] [--allow-file-storage]
                              在终端中用 Qwen 账号登录
  login --api-key [--preset NAME | --base-url URL]
                              用从标准输入读取的百炼或 Coding Plan API 密钥
                              登录
  status [--json]             显示登录状态（绝不显示任何机密）
  logout                      删除已保存的凭据
  serve                       只运行代理，不带托盘，直到按下 Ctrl+C 或收到
                              SIGTERM
  import [--from FILE] [--yes] [--delete-original]
                              接管 OpenCode Qwen 插件
                              （~/.opencode/qwen/oauth_token.json）或 Qwen Code
                              （~/.qwen/oauth_creds.json）的登录
  opencode-config [--provider ID] [--write [FILE]]
                              打印 OpenCode 提供方配置块，或将其合并到 FILE
                              （默认：全局 OpenCode 配置）中，保留注释和其他
                              键，并写入备份

选项：
  --demo                      针对内置的模拟 Qwen 服务运行托盘应用程序
  --windowed                  用状态窗口代替托盘图标
  -h, --help                  显示此帮助
  -v, --version               显示版本

退出码：0 完成，1 其他失败，2 登录被拒绝，3 登录码已过期，
4 网络或服务器故障，5 钥匙串故障，64 用法错误，130 已取消。
</translation>
    </message>
    <message>
        <source>Use either --preset or --base-url, not both.</source>
        <translation>请只使用 --preset 或 --base-url 其中之一，不要同时使用。</translation>
    </message>
    <message>
        <source>Unknown preset %1. The presets are:</source>
        <translation>未知的预设 %1。可用的预设有：</translation>
    </message>
    <message>
        <source>The base URL must be an https:// address (http:// only for this computer), such as https://dashscope-intl.aliyuncs.com/compatible-mode/v1.</source>
        <translation>基础 URL 必须是 https:// 地址（http:// 仅限本机），例如 https://dashscope-intl.aliyuncs.com/compatible-mode/v1。</translation>
    </message>
    <message>
        <source>Using %1 (%2). Choose another with --preset; the presets are:</source>
        <translation>使用 %1（%2）。可用 --preset 选择其他预设；可用的预设有：</translation>
    </message>
    <message>
        <source>Paste your API key (it is not shown): </source>
        <translation>粘贴您的 API 密钥（输入内容不会显示）：</translation>
    </message>
    <message>
        <source>No API key was given on standard input. Example: `qwen-bridge login --api-key &lt; keyfile`.</source>
        <translation>标准输入中没有提供 API 密钥。示例：`qwen-bridge login --api-key &lt; keyfile`。</translation>
    </message>
    <message>
        <source>That does not look like an API key (it has spaces or is very long).</source>
        <translation>这看起来不像 API 密钥（其中有空格或过长）。</translation>
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
        <source>Not signed in. Run `qwen-bridge login` to sign in.</source>
        <translation>尚未登录。运行 `qwen-bridge login` 登录。</translation>
    </message>
    <message>
        <source>%1 Run `qwen-bridge login` to sign in again.</source>
        <translation>%1 运行 `qwen-bridge login` 重新登录。</translation>
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
        <source>Method:   %1 (%2)</source>
        <translation>方式：     %1（%2）</translation>
    </message>
    <message>
        <source>Method:   %1</source>
        <translation>方式：     %1</translation>
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
        <source>The provider id may only hold letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;.</source>
        <translation>提供方 ID 只能包含字母、数字、“.”、“_”和“-”。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Unknown command: %1</source>
        <translation>未知命令：%1</translation>
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
    <name>ForwardJob</name>
    <message>
        <source>The Qwen API sent an event larger than Qwen Bridge accepts.</source>
        <translation>Qwen API 发送的事件超过了 Qwen Bridge 能接受的大小。</translation>
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
        <source>Could not reach the Qwen API at %1: %2</source>
        <translation>无法连接位于 %1 的 Qwen API：%2</translation>
    </message>
    <message>
        <source>Your Qwen account has no OAuth quota left: Qwen ended the free OAuth tier on 2026-04-15. Use an API key instead (Alibaba Cloud Model Studio or Coding Plan): choose &quot;Use an API key instead…&quot; in the Qwen Bridge tray menu, or run `qwen-bridge login --api-key`.</source>
        <translation>您的 Qwen 账号已没有 OAuth 额度：Qwen 已于 2026-04-15 停止免费 OAuth 服务。请改用 API 密钥（阿里云百炼或 Coding Plan）：在 Qwen Bridge 托盘菜单中选择“改用 API 密钥…”，或运行 `qwen-bridge login --api-key`。</translation>
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
        <source>The Qwen API refused the token even after renewing it. Sign in again from the Qwen Bridge tray menu or run `qwen-bridge login`.</source>
        <translation>即使续期之后，Qwen API 仍拒绝了令牌。请从 Qwen Bridge 托盘菜单重新登录，或运行 `qwen-bridge login`。</translation>
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
        <source>no data for %1 seconds</source>
        <translation>%1 秒内没有数据</translation>
    </message>
    <message>
        <source>The connection to the Qwen API ended before the answer was complete. Try again.</source>
        <translation>与 Qwen API 的连接在回答完成之前就结束了。请重试。</translation>
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
        <source>The Qwen API at %1 did not answer within %2 seconds. Try again.</source>
        <translation>位于 %1 的 Qwen API 在 %2 秒内没有响应。请重试。</translation>
    </message>
    <message>
        <source>The Qwen API&apos;s answer was cut off or unreadable (%1 bytes of JSON that does not parse). Try again.</source>
        <translation>Qwen API 的回答被截断或无法读取（%1 字节无法解析的 JSON）。请重试。</translation>
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
        <source>Missing or wrong local key. Use the key shown in the Qwen Bridge tray menu (Copy proxy URL and key), or run `qwen-bridge opencode-config --write`.</source>
        <translation>本地密钥缺失或错误。请使用 Qwen Bridge 托盘菜单中显示的密钥（复制代理 URL 和密钥），或运行 `qwen-bridge opencode-config --write`。</translation>
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
    <name>QrWidget</name>
    <message>
        <source>QR code of the sign-in link</source>
        <translation>登录链接的二维码</translation>
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
    <name>SessionManager</name>
    <message>
        <source>Signed out.</source>
        <translation>已退出登录。</translation>
    </message>
    <message>
        <source>Sign in from the Qwen Bridge tray menu or run `qwen-bridge login`.</source>
        <translation>请从 Qwen Bridge 托盘菜单登录，或运行 `qwen-bridge login`。</translation>
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
        <source>The OAuth base URL must be a web address such as %1.</source>
        <translation>OAuth 基础 URL 必须是网址，例如 %1。</translation>
    </message>
    <message>
        <source>The OAuth base URL must start with https:// (http:// is only allowed for 127.0.0.1 and localhost).</source>
        <translation>OAuth 基础 URL 必须以 https:// 开头（只有 127.0.0.1 和 localhost 可以使用 http://）。</translation>
    </message>
    <message>
        <source>The OAuth base URL must not contain a user name, a query (?…) or a fragment (#…).</source>
        <translation>OAuth 基础 URL 不能包含用户名、查询参数（?…）或片段（#…）。</translation>
    </message>
    <message>
        <source>The provider id must be 1 to 64 letters, digits, “-”, “_” or “.”, starting with a letter or digit.</source>
        <translation>提供方 ID 必须由 1 到 64 个字母、数字、“-”、“_”或“.”组成，并以字母或数字开头。</translation>
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
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Connecting to Qwen…</source>
        <translation>正在连接 Qwen…</translation>
    </message>
    <message>
        <source>Asking Qwen for a sign-in code.</source>
        <translation>正在向 Qwen 请求登录码。</translation>
    </message>
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
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>The sign-in could not be started.</source>
        <translation>无法开始登录。</translation>
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
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>Or open %1 yourself and enter the code.</source>
        <translation>也可以自行打开 %1 并输入登录码。</translation>
    </message>
    <message>
        <source>No browser could be opened. Open the address below yourself, or scan the QR code.</source>
        <translation>无法打开浏览器。请自行打开下面的地址，或扫描二维码。</translation>
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
        <source>Enter the base URL of the endpoint, such as %1.</source>
        <translation>请输入端点的基础 URL，例如 %1。</translation>
    </message>
    <message>
        <source>The base URL must be an https:// address (http:// only for this computer), such as %1.</source>
        <translation>基础 URL 必须是 https:// 地址（http:// 仅限本机），例如 %1。</translation>
    </message>
    <message>
        <source>The base URL must not contain a user name or password.</source>
        <translation>基础 URL 中不能包含用户名或密码。</translation>
    </message>
    <message>
        <source>The base URL must not have a query (?…) or a fragment (#…).</source>
        <translation>基础 URL 中不能带有查询（?…）或片段（#…）。</translation>
    </message>
    <message>
        <source>Paste your API key first.</source>
        <translation>请先粘贴您的 API 密钥。</translation>
    </message>
    <message>
        <source>That does not look like an API key (it has spaces or is very long).</source>
        <translation>这看起来不像 API 密钥（其中有空格或过长）。</translation>
    </message>
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
        <source>Create a key on the API-Key page of the Alibaba Cloud Model Studio console. Qwen Bridge keeps it in the system keychain and never shows it again.</source>
        <translation>请在阿里云百炼控制台的 API-Key 页面创建密钥。Qwen Bridge 会将它保存在系统钥匙串中，并且不会再显示它。</translation>
    </message>
    <message>
        <source>How to get a key</source>
        <translation>如何获取密钥</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>API 密钥(&amp;K)：</translation>
    </message>
    <message>
        <source>Requests go to %1.</source>
        <translation>请求将发送到 %1。</translation>
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
    <message>
        <source>Checking the key with %1…</source>
        <translation>正在通过 %1 检查密钥…</translation>
    </message>
    <message>
        <source>DEMO: whatever you choose here, the key is checked by the fake service at %1, which accepts the key %2.</source>
        <translation>演示 DEMO：无论在这里选择什么，密钥都由位于 %1 的模拟服务检查，它接受密钥 %2。</translation>
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
        <source>Your Qwen session has ended (%1). Sign in from the Qwen Bridge tray menu or run `qwen-bridge login`.</source>
        <translation>您的 Qwen 会话已结束（%1）。请从 Qwen Bridge 托盘菜单登录，或运行 `qwen-bridge login`。</translation>
    </message>
    <message>
        <source>The Qwen sign-in server gave an unexpected answer (HTTP %1) while renewing the session.</source>
        <translation>Qwen 登录服务器在为会话续期时返回了意外的响应（HTTP %1）。</translation>
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
        <source>%1 (DEMO)</source>
        <translation>%1（演示 DEMO）</translation>
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
