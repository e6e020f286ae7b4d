#include <config.h>
#include "tests/test-common.h"
void test_table_register(void) {}
