#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QList>
#include <QPair>

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

// One parsed HTTP/1.x request with its whole body (chunked bodies already decoded).
struct HttpRequest
{
    QByteArray method;
    QByteArray target; // the request-target exactly as sent
    QByteArray path;   // target up to '?', not percent-decoded
    QByteArray query;  // after '?', without it
    int minorVersion = 1;
    HttpHeaders headers; // names lower-cased, in arrival order
    QByteArray body;
    QHostAddress peerAddress;
    quint16 localPort = 0;

    // The first header of that name (case-insensitive), or an empty array.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
};
