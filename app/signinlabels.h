#pragma once

class QLabel;
class QString;
class QWidget;

// The kinds of text the sign-in pages share, so that every page looks the same.
namespace SignInLabels {
// A page's heading: larger and bold, wrapped.
QLabel *title(const QString &text, QWidget *parent);
// Running text: wrapped, and selectable so that it can be copied into a question or a search.
QLabel *text(const QString &text, QWidget *parent);
// Small print under a field, in the dimmer text colour.
QLabel *note(const QString &text, QWidget *parent);
} // namespace SignInLabels
