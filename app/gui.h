#pragma once

#include <QString>

// How the tray application was asked to start (see main.cpp).
struct GuiOptions
{
    bool demo = false;     // --demo: an embedded fake Qwen service, labelled DEMO everywhere
    bool windowed = false; // --windowed: the status window even when a tray exists
};

// --demo: the key the embedded fake service accepts on the API-key page.
QString demoApiKey();

// Creates the QApplication, installs the translation for the system locale, starts the
// bridge and runs the tray (or the status window) until Quit. Returns the exit code.
int runGui(int &argc, char **argv, const GuiOptions &options);
