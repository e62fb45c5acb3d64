#pragma once

#include "http/httpconnection.h"
#include "http/httpserver.h"

#include <QPointer>

// Internal to the HTTP server: the state of one HttpResponse, which its HttpConnection
// reads and clears (the connection sets conn to null when the client goes away).
class HttpResponse::Private
{
public:
    QPointer<HttpConnection> conn; // null once the client is gone or the response ended
    bool headersSent = false;
    bool finished = false;
    bool chunked = false;     // streaming with chunked framing (HTTP/1.1)
    bool closeAfter = false;  // Connection: close, or an HTTP/1.0 stream ended by close
    bool headRequest = false; // answer HEAD without a body
    bool backpressured = false;
    bool keepAlive = true;
    int minorVersion = 1;

    QByteArray head(int status, const QByteArray &contentType, const HttpHeaders &extra,
                    const QByteArray &framing) const;
};
