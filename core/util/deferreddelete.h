#pragma once

class QObject;

// QObject::deleteLater() for objects that end by the thousand. Every object retired here
// since the last batch is deleted by one posted event: on the GLib event dispatcher (which
// the app needs for the keychain) every posted event wakes the loop with a write to an
// eventfd, a system call, and each request through the proxy retired two objects that way
// (bench/run's plain requests: 7% of the proxy's CPU went to those writes).
//
// The guarantee is deleteLater()'s: the object is deleted once control is back in the event
// loop, never inside the call that retired it. Unlike deleteLater() it does not wait for an
// outer loop when retired inside a nested one, so it is for objects no nested event loop
// runs under (the proxy's requests and responses). Objects of another thread, or retired
// while no event loop can run, go to deleteLater().
namespace DeferredDelete {

void later(QObject *object);
// Objects retired on this thread and not deleted yet (tests).
int pendingCount();

} // namespace DeferredDelete
