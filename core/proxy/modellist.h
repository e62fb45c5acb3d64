#pragma once

#include "plans/plancatalog.h"

#include <QByteArray>

// The proxy's answer to GET /v1/models in API-key mode (PROTOCOL.md §6). The Coding Plan has
// no model list upstream (404), so the catalog answers for it; where the upstream has one,
// its entries come first as they are, then the plan's catalog models it did not list. The
// aliases coder-model and vision-model are always there: clients may ask for them.
class ModelList
{
public:
    // upstreamBody: the upstream's 2xx answer, or empty when there is none. A custom
    // endpoint gets no catalog models added: the catalog does not know what it serves.
    static QByteArray forPlan(const Plan &plan, const QByteArray &upstreamBody = {});
    // OAuth tokens only ever accept the two aliases (PROTOCOL.md §4).
    static QByteArray forOAuth();
};
