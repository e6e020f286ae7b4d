#include <config.h>
#include "tests/test-common.h"
void test_redirect_register(void) {}
