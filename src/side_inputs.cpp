// Filled in as the module is written.
#include "abmtier/side_inputs.h"
