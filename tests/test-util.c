/* Helpers shared by the Check unit tests: see test-util.h. */
#include <config.h>

#include "test-util.h"

#include <stdlib.h>

#include "dp-packet.h"
#include "flow.h"

int
test_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

struct dp_packet *
test_packet_from_hex(const char *hex, struct flow *flow)
{
    struct dp_packet *b = dp_packet_new(0);

    ck_assert_int_eq(dp_packet_put_hex(b, hex), 0);
    if (flow) {
        flow_extract(b, flow);
    }
    return b;
}
