#pragma once

#include <QString>
#include <QUrl>

// The API base for OAuth tokens from the token's resource_url (PROTOCOL.md §3): add
// https:// when there is no scheme, drop a trailing '/', append /v1 unless present;
// missing or unusable → fallback.
QUrl apiBaseFromResourceUrl(const QString &resourceUrl, const QUrl &fallback);
