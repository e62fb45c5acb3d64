#include "testtls.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

namespace {
QByteArray readData(const char *name)
{
    QFile file(QStringLiteral(QWEN_BRIDGE_SOURCE_DIR "/tests/data/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read tests/data/%s", name);
    return file.readAll();
}
} // namespace

QSslConfiguration selfSignedServerConfiguration()
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(QSslCertificate(readData("selfsigned-cert.pem")));
    config.setPrivateKey(QSslKey(readData("selfsigned-key.pem"), QSsl::Rsa));
    if (config.localCertificate().isNull() || config.privateKey().isNull())
        qFatal("tests/data/selfsigned-*.pem do not hold a certificate and its key");
    return config;
}

bool mentionsSelfSigned(const QString &message)
{
    return message.contains(QLatin1String("self signed"), Qt::CaseInsensitive) ||
           message.contains(QLatin1String("self-signed"), Qt::CaseInsensitive);
}
