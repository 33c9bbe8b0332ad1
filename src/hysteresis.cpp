// Filled in as the module is written.
#include "abmtier/hysteresis.h"
