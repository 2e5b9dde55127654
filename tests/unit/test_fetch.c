/*
 * Unit tests for fcgi/src/fetch.c's address check: which resolved
 * addresses a fetch may connect to, with and without FINDER_FETCH_ALLOW.
 * (The transfers themselves are tested against a real server in
 * tests/api/test_sync.py.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "fetch.h"

struct address_case {
	const char *address;
	int allowed;
};

static const struct address_case default_cases[] = {
	{"93.184.216.34", 1},
	{"8.8.8.8", 1},
	{"2606:4700:4700::1111", 1},
	{"127.0.0.1", 0},
	{"127.255.255.254", 0},
	{"10.0.0.1", 0},
	{"10.255.255.1", 0},
	{"172.16.0.1", 0},
	{"172.31.255.255", 0},
	{"172.32.0.1", 1},
	{"192.168.1.1", 0},
	{"169.254.169.254", 0}, /* cloud metadata */
	{"100.64.0.1", 0},
	{"100.128.0.1", 1},
	{"0.0.0.0", 0},
	{"224.0.0.1", 0},
	{"255.255.255.255", 0},
	{"198.18.0.1", 0},
	{"::1", 0},
	{"::", 0},
	{"fe80::1", 0},
	{"fc00::1", 0},
	{"fd00:ec2::254", 0}, /* cloud metadata, IPv6 */
	{"ff02::1", 0},
	{"::ffff:127.0.0.1", 0}, /* IPv4 in IPv6 */
	{"::ffff:10.1.2.3", 0},
	{"::ffff:8.8.8.8", 1},
	{"64:ff9b::a9fe:a9fe", 0}, /* NAT64 of 169.254.169.254 */
	{"not an address", 0},
	{"", 0},
};

static void refuses_private_addresses(void **state)
{
	(void)state;
	unsetenv("FINDER_FETCH_ALLOW");
	assert_int_equal(fetch_init(), 0);
	for (size_t i = 0; i < sizeof(default_cases) / sizeof(default_cases[0]); i++) {
		int got = fetch_address_allowed(default_cases[i].address);

		if (got != default_cases[i].allowed)
			fail_msg("%s: allowed %d, want %d", default_cases[i].address, got,
				 default_cases[i].allowed);
	}
	fetch_cleanup();
}

static void allows_what_the_deployment_lists(void **state)
{
	(void)state;
	setenv("FINDER_FETCH_ALLOW", "127.0.0.1, 10.1.0.0/16,fd12::/16", 1);
	assert_int_equal(fetch_init(), 0);
	assert_true(fetch_address_allowed("127.0.0.1"));
	assert_false(fetch_address_allowed("127.0.0.2"));
	assert_true(fetch_address_allowed("10.1.200.3"));
	assert_false(fetch_address_allowed("10.2.0.1"));
	assert_true(fetch_address_allowed("fd12:3::1"));
	assert_false(fetch_address_allowed("fd13::1"));
	assert_true(fetch_address_allowed("::ffff:127.0.0.1"));
	assert_false(fetch_address_allowed("169.254.169.254"));
	assert_true(fetch_address_allowed("8.8.8.8"));
	fetch_cleanup();
}

static void refuses_a_bad_allow_list(void **state)
{
	static const char *const bad[] = {"localhost", "10.0.0.0/33", "::1/129", "1.2.3.4/",
					  "1.2.3.4/x"};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("FINDER_FETCH_ALLOW", bad[i], 1);
		if (fetch_init() == 0) {
			fetch_cleanup();
			fail_msg("FINDER_FETCH_ALLOW=%s was taken", bad[i]);
		}
	}
	unsetenv("FINDER_FETCH_ALLOW");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refuses_private_addresses),
		cmocka_unit_test(allows_what_the_deployment_lists),
		cmocka_unit_test(refuses_a_bad_allow_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
