#pragma once

// Sets the logging rules once at start-up: our categories' debug lines only with
// DEBUG_QWEN_PLUGIN (or the setting), and quiet terminal commands unless asked.
void setUpLogging(bool terminalCommand);
