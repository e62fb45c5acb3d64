#pragma once

#include <QByteArrayView>

class QAbstractSocket;

// Hands as much of data as the kernel takes right now straight to a plain socket's
// descriptor, but only when Qt has nothing queued for it (order must hold). Returns the
// number of bytes sent; the rest belongs in QAbstractSocket::write() as usual, and errors
// are left for Qt to find on that path.
//
// Written by hand because QAbstractSocket::write() copies every byte into its own buffer
// and arms the write notifier before anything leaves, which per streamed event, with
// hundreds of streams open, costs more than the send itself. Not for TLS sockets.
qsizetype sendDirect(QAbstractSocket *socket, QByteArrayView data);
