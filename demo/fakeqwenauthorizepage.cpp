// The DEMO verification page: what the real service's sign-in page does for the device
// flow, on the fake, with Approve and Deny buttons and a banner that says it is a demo.

#include "fakeqwenservice_p.h"

using namespace FakeQwen;

namespace {

QByteArray demoPage(const QString &content)
{
    const QString page =
        QStringLiteral(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<title>Qwen Bridge DEMO \u2014 fake Qwen sign-in</title><style>"
            "body{font-family:sans-serif;max-width:32em;margin:3em auto;padding:0 1em;color:#222}"
            ".demo{background:#b00020;color:#fff;font-weight:bold;padding:.5em 1em;"
            "border-radius:4px;text-align:center}"
            ".code{font-family:monospace;font-size:2em;letter-spacing:.1em;margin:.5em 0}"
            "button{font-size:1.1em;padding:.5em 1.5em;margin-right:1em}"
            "</style></head><body>"
            "<p class=\"demo\">DEMO \u2014 this is a fake Qwen service on your own computer. "
            "No real account is involved.</p>"
            "<h1>Qwen Bridge DEMO \u2014 fake Qwen sign-in</h1>%1</body></html>")
            .arg(content);
    return page.toUtf8();
}

QString codeForm()
{
    return QStringLiteral("<form method=\"get\" action=\"/authorize\">"
                          "<p><label>User code: <input name=\"user_code\" autofocus></label> "
                          "<button type=\"submit\">Continue</button></p></form>");
}

} // namespace

void FakeQwenService::handleAuthorizePage(const HttpRequest &request, HttpResponse *response)
{
    const QHash<QString, QString> query = parseForm(request.query);
    const QString userCode = query.value(QStringLiteral("user_code")).trimmed();
    const QByteArray html = QByteArrayLiteral("text/html; charset=utf-8");
    if (userCode.isEmpty()) {
        response->send(200, demoPage(codeForm()), html);
        return;
    }
    FakeDeviceGrant *grant = grantByUserCode(userCode);
    if (!grant) {
        response->send(
            404,
            demoPage(
                QStringLiteral("<p>Unknown code <b>%1</b>.</p>").arg(userCode.toHtmlEscaped()) +
                codeForm()),
            html);
        return;
    }
    refreshExpiry(*grant);
    const QString escaped = grant->userCode.toHtmlEscaped();
    QString content = QStringLiteral("<p>Qwen Bridge asks to sign in with this code:</p>"
                                     "<p class=\"code\">%1</p>")
                          .arg(escaped);
    if (grant->state == FakeDeviceGrant::State::Pending) {
        content += QStringLiteral(
                       "<form method=\"post\" action=\"/authorize\">"
                       "<input type=\"hidden\" name=\"user_code\" value=\"%1\">"
                       "<button type=\"submit\" name=\"action\" value=\"approve\">Approve</button>"
                       "<button type=\"submit\" name=\"action\" value=\"deny\">Deny</button>"
                       "</form>")
                       .arg(escaped);
    } else {
        content += QStringLiteral("<p>This code is %1.</p>").arg(stateName(grant->state));
    }
    response->send(200, demoPage(content), html);
}

void FakeQwenService::handleAuthorizeAction(const HttpRequest &request, HttpResponse *response)
{
    const QHash<QString, QString> form = parseForm(request.body);
    const QString userCode = form.value(QStringLiteral("user_code")).trimmed();
    const QString action = form.value(QStringLiteral("action"));
    const QByteArray html = QByteArrayLiteral("text/html; charset=utf-8");
    if (userCode.isEmpty() || !grantByUserCode(userCode) ||
        (action != QLatin1String("approve") && action != QLatin1String("deny"))) {
        response->send(400, demoPage(QStringLiteral("<p>Unknown code or action.</p>") + codeForm()),
                       html);
        return;
    }
    const bool approving = action == QLatin1String("approve");
    const bool changed = approving ? approve(userCode) : deny(userCode);
    const FakeDeviceGrant *grant = grantByUserCode(userCode);
    QString content;
    if (changed) {
        content = approving ? QStringLiteral("<p>Approved. You can close this page and go back "
                                             "to Qwen Bridge.</p>")
                            : QStringLiteral("<p>Denied. Qwen Bridge will not be signed in.</p>");
    } else {
        content =
            QStringLiteral("<p>Nothing changed: this code is %1.</p>").arg(stateName(grant->state));
    }
    response->send(200, demoPage(content), html);
}
