#include <config.h>
#include "tests/test-common.h"
void test_packet_register(void) {}
