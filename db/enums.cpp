#include "enums.h"

// Header-only today; the translation unit keeps the target's file list stable.
