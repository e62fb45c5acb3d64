// DeferredDelete: deleteLater()'s guarantee (deleted back in the event loop, never inside
// the call that retired it) with one posted event for everything retired meanwhile.
#include "util/deferreddelete.h"

#include <QCoreApplication>
#include <QPointer>
#include <QTest>
#include <QThread>

namespace {

// Retires another object when it is deleted, as a job deleting its reply might.
class Chained : public QObject
{
public:
    explicit Chained(QObject *next)
        : m_next(next)
    {}
    ~Chained() override { DeferredDelete::later(m_next); }

private:
    QObject *m_next;
};

} // namespace

class TestDeferredDelete : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void deletedBackInTheLoopNotBefore()
    {
        QPointer<QObject> object = new QObject;
        DeferredDelete::later(object);
        QVERIFY(object); // still there for the rest of the call that retired it
        QCOMPARE(DeferredDelete::pendingCount(), 1);
        QTRY_VERIFY(!object);
        QCOMPARE(DeferredDelete::pendingCount(), 0);
    }

    void manyGoInOnePass()
    {
        QList<QPointer<QObject>> objects;
        for (int i = 0; i < 100; ++i) {
            objects << new QObject;
            DeferredDelete::later(objects.last());
        }
        QCOMPARE(DeferredDelete::pendingCount(), 100);
        // One pass over the posted events deletes all of them.
        QCoreApplication::sendPostedEvents();
        for (const QPointer<QObject> &o : std::as_const(objects))
            QVERIFY(!o);
    }

    void aParentAndItsChild()
    {
        auto *parent = new QObject;
        QPointer<QObject> child = new QObject(parent);
        QPointer<QObject> p = parent;
        DeferredDelete::later(child); // deleted with its parent first: not twice
        DeferredDelete::later(parent);
        DeferredDelete::later(parent); // retired twice: deleted once
        QCoreApplication::sendPostedEvents();
        QVERIFY(!p);
        QVERIFY(!child);
        QCOMPARE(DeferredDelete::pendingCount(), 0);
    }

    void retiredWhileDeletingGoesNext()
    {
        QPointer<QObject> next = new QObject;
        DeferredDelete::later(new Chained(next));
        QCoreApplication::sendPostedEvents();
        QCOMPARE(DeferredDelete::pendingCount(), 1);
        QVERIFY(next);
        QTRY_VERIFY(!next);
    }

    void anotherThreadsObjectGoesToDeleteLater()
    {
        QThread thread;
        thread.start();
        QPointer<QObject> object = new QObject;
        object->moveToThread(&thread);
        DeferredDelete::later(object);
        QCOMPARE(DeferredDelete::pendingCount(), 0);
        QTRY_VERIFY(!object); // deleted on its own thread
        thread.quit();
        QVERIFY(thread.wait(10000));
    }
};

QTEST_GUILESS_MAIN(TestDeferredDelete)
#include "tst_deferreddelete.moc"
