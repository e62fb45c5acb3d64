#include "bridge/serviceerror.h"

bool ServiceError::isKeychain() const
{
    switch (kind) {
    case Kind::KeychainLocked:
    case Kind::KeychainUnavailable:
    case Kind::KeychainTimeout:
    case Kind::KeychainFailed:
        return true;
    default:
        return false;
    }
}

ServiceError ServiceError::fromEdit(const KeychainResult &result, const QString &problem)
{
    if (!problem.isEmpty())
        return {Kind::Refused, problem};
    return fromKeychain(result);
}

ServiceError ServiceError::fromKeychain(const KeychainResult &result)
{
    ServiceError e;
    switch (result.error) {
    case KeychainError::None:
        return e;
    case KeychainError::AccessDenied:
        e.kind = Kind::KeychainLocked;
        break;
    case KeychainError::NoService:
        e.kind = Kind::KeychainUnavailable;
        break;
    case KeychainError::Timeout:
        e.kind = Kind::KeychainTimeout;
        break;
    case KeychainError::NotFound: // asked to be there, so a failure here
    case KeychainError::Other:
        e.kind = Kind::KeychainFailed;
        break;
    }
    e.message = result.message.isEmpty() ? KeychainStore::describe(result.error) : result.message;
    return e;
}
