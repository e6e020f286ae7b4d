#include <config.h>
#include "tests/test-common.h"
void test_announce_register(void) {}
