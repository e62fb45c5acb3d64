#pragma once

// Shared by the fake's source files, one per responsibility: the service and its records
// (fakeqwenservice.cpp), the OAuth endpoints (fakeqwenoauth.cpp), the DEMO verification page
// (fakeqwenauthorizepage.cpp), the /v1 API (fakeqwenchat.cpp), the plan modes
// (fakeqwenplans.cpp) and the SSE streams (fakessestream.cpp).

#include "fakeqwenservice.h"
#include "http/httpserver.h"
#include "util/logcategories.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

namespace FakeQwen {

QByteArray randomToken(const char *prefix, int bytes = 32);
QByteArray base64Url(const QByteArray &data);
// Form bodies from HTML forms encode spaces as '+', which QUrlQuery would keep literally.
QHash<QString, QString> parseForm(const QByteArray &data);
QByteArray compact(const QJsonObject &object);
void sendJson(HttpResponse *response, int status, const QJsonObject &object,
              const HttpHeaders &extraHeaders = {});
QJsonObject apiError(const QString &message, const QString &type, const QString &code);
void sendUnauthorized(HttpResponse *response);
void sendInvalidRequest(HttpResponse *response, const QString &message,
                        const QString &code = QStringLiteral("invalid_request"));
QString stateName(FakeDeviceGrant::State state);
// Resets the TCP connection behind a response; false when it cannot be found.
bool abortConnection(HttpResponse *response);

} // namespace FakeQwen

// One SSE answer in flight. Each stream runs on its own timer so that hundreds of them
// interleave on the event loop; it waits for drained() when the client reads slowly.
class FakeSseStream : public QObject
{
public:
    enum End { Completed, ClientGone, Aborted };

    FakeSseStream(FakeQwenService *service, HttpResponse *response, QList<QByteArray> events,
                  int delayMs, int abortAfter, int stallAfter);

    void start();
    void resume();

private:
    void schedule();
    void writeNext();
    void finish(End how);

    FakeQwenService *m_service;
    QPointer<HttpResponse> m_response;
    QList<QByteArray> m_events;
    QTimer m_timer;
    int m_written = 0;
    int m_abortAfter;
    int m_stallAfter;
    bool m_waitingDrain = false;
    bool m_waitingResume = false;
    bool m_done = false;
};
