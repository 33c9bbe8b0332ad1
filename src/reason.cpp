// Filled in as the module is written.
#include "abmtier/reason.h"
