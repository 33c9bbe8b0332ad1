// Filled in as the module is written.
#include "abmtier/matrix.h"
