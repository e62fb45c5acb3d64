#pragma once

#include <QSslConfiguration>
#include <QString>

// A TLS server configuration with the self-signed certificate in tests/data (made for
// 127.0.0.1 and localhost; no system trusts it), for upstreams that must be refused.
QSslConfiguration selfSignedServerConfiguration();

// Whether an error message names the self-signed certificate as the reason.
bool mentionsSelfSigned(const QString &message);
