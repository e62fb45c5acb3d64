#pragma once

#include "credentials/credentials.h"
#include "http/httpclient.h"
#include "http/httprequest.h"
#include "session/sessionmanager.h"
#include "usage/planwindows.h"

#include <QCoreApplication>
#include <QDateTime>

#include <QString>
#include <QStringList>
#include <optional>

// What the proxy tells its client when a request to the upstream did not end in a success,
// decided in one place from facts alone (no sockets, no timers), so that every answer
// has its own sentence and a table test.
struct UpstreamVerdict
{
    enum class Action {
        Fail,            // answer the client with status/message/type/code
        PassThrough,     // send the upstream's own JSON error body unchanged
        RefreshAndRetry, // renew the credentials once, then send again
        RetryLater,      // send again after retryDelayMs (transient server error)
    };
    Action action = Action::Fail;
    int status = 0; // for the client
    QString message;
    QString type;
    QString code;
    HttpHeaders extraHeaders; // e.g. the upstream's Retry-After
    int retryDelayMs = 0;
    bool quotaExhausted = false; // the account has no quota left (the tray shows it)
    // Which of the plan's quota windows the upstream said is used up, if it named one: the
    // usage meter marks it until its reset, whatever it counted itself.
    std::optional<PlanWindows::Window> exhaustedWindow;
};

class UpstreamError
{
    Q_DECLARE_TR_FUNCTIONS(UpstreamError)
public:
    // An HTTP answer that was not 2xx.
    struct Answer
    {
        int status = 0;
        QByteArray body;       // gathered whole (bounded by the caller)
        QByteArray retryAfter; // the Retry-After header, if any
    };
    struct Context
    {
        AuthMethod method = AuthMethod::OAuth;
        bool stream = false;
        int attempt = 1;         // 1 for the first send
        bool retried401 = false; // a refresh and retry after 401 already happened
        int retryBaseDelayMs = 500;
        int maxServerErrorRetries = 2;
        // API-key mode: the plan behind the key (PROTOCOL.md §6), for the sentences that
        // name it, its models and its quota windows.
        QString planName;          // "Coding Plan (global)"
        QStringList planModels;    // exact ids; empty for a custom endpoint
        QString model;             // the model the request asked the upstream for
        bool keyHasWorked = false; // an earlier request with this key succeeded
        QDateTime now;             // when the answer came; invalid means the current time
    };
    static UpstreamVerdict forAnswer(const Answer &answer, const Context &context);

    // The session had no credentials to send with: its own sentence, with a status and code.
    static UpstreamVerdict forSession(SessionError error, const QString &message);

    // No HTTP answer at all: the request never got a status line.
    // errorText for Error::Proxy names the proxy and what to check.
    static UpstreamVerdict forTransport(HttpClientReply::Error error, const QString &errorText,
                                        const QString &host, bool timedOut, int idleSeconds,
                                        int connectTimeoutSeconds);

    // Headers came, then the connection failed before a non-streaming body was complete.
    static UpstreamVerdict forCutOffBody(const QString &errorText, bool timedOut, int idleSeconds);
    // A 2xx JSON answer that does not parse (a chunked body cut short can look whole).
    static UpstreamVerdict forUnreadableBody(qsizetype bytes);

    // The sentence for a stream that ended without its [DONE] marker.
    static QString streamBroken(HttpClientReply::Error error, const QString &errorText,
                                bool timedOut, int idleSeconds);
    // The upstream sent a single event larger than the proxy buffers.
    static QString eventTooLarge();

    static bool isQuotaError(const QByteArray &body);
    // When the Coding Plan's weekly window after `now` resets: Monday 00:00 UTC+8.
    static QDateTime weeklyQuotaReset(const QDateTime &now);
};
