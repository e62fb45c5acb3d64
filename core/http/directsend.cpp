#include "http/directsend.h"

#include <QAbstractSocket>

#if !defined(Q_OS_WIN)
#include <cerrno>
#include <sys/socket.h>
#endif

qsizetype sendDirect(QAbstractSocket *socket, QByteArrayView data)
{
#if defined(Q_OS_WIN)
    Q_UNUSED(socket);
    Q_UNUSED(data);
    return 0;
#else
    if (socket->bytesToWrite() > 0)
        return 0;
    const int fd = int(socket->socketDescriptor());
    qsizetype sent = 0;
    while (fd != -1 && sent < data.size()) {
        const ssize_t n =
            ::send(fd, data.data() + sent, size_t(data.size() - sent), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0)
            sent += n;
        else if (n < 0 && errno == EINTR)
            continue;
        else
            break; // the kernel's buffer is full, or an error
    }
    return sent;
#endif
}
