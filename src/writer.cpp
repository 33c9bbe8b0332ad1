#include "abmtier/writer.h"
