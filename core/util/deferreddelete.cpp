#include "util/deferreddelete.h"

#include <QCoreApplication>
#include <QList>
#include <QPointer>
#include <QThread>

namespace {

// One per thread, a child of nothing: it must outlive whatever it deletes.
class Batch : public QObject
{
public:
    ~Batch() override
    {
        // The thread or the application is ending: what is left is deleted now, as its
        // deleteLater() would have been by QThread or never at all (a leak either way is
        // worse for the sanitizer run).
        run();
    }

    void add(QObject *object)
    {
        m_objects.append(object);
        if (m_posted)
            return;
        m_posted = true;
        QMetaObject::invokeMethod(this, &Batch::run, Qt::QueuedConnection);
    }

    int size() const { return int(m_objects.size()); }

    void run()
    {
        m_posted = false;
        // Deleting may retire more (a destructor can): those go to the next batch.
        const QList<QPointer<QObject>> objects = std::exchange(m_objects, {});
        for (const QPointer<QObject> &object : objects)
            delete object.data(); // null when its parent took it already
    }

private:
    QList<QPointer<QObject>> m_objects;
    bool m_posted = false;
};

Batch *batchForThisThread()
{
    static thread_local std::unique_ptr<Batch> batch;
    if (!batch)
        batch = std::make_unique<Batch>();
    return batch.get();
}

} // namespace

void DeferredDelete::later(QObject *object)
{
    if (!object)
        return;
    if (object->thread() != QThread::currentThread() || !QCoreApplication::instance()) {
        object->deleteLater();
        return;
    }
    batchForThisThread()->add(object);
}

int DeferredDelete::pendingCount()
{
    return batchForThisThread()->size();
}
