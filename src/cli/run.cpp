#include "abmtier/config.h"
