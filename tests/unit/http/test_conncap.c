/* test_conncap.c - the per-address connection count (server/http/conncap.c). */
#include "unit.h"

#include "http/conncap.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

static struct conncap_key v4(const char *text)
{
	struct sockaddr_in sin;
	struct conncap_key k;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, text, &sin.sin_addr), 1);
	assert_int_equal(conncap_key_of((struct sockaddr *)&sin, sizeof sin, &k), 0);
	return k;
}

static struct conncap_key v6(const char *text)
{
	struct sockaddr_in6 sin6;
	struct conncap_key k;
	memset(&sin6, 0, sizeof sin6);
	sin6.sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, text, &sin6.sin6_addr), 1);
	assert_int_equal(conncap_key_of((struct sockaddr *)&sin6, sizeof sin6, &k), 0);
	return k;
}

/* The cap holds per address: the (cap+1)th connection of one address is
 * refused while another address still gets in; a release makes room. */
static void test_cap_per_address(void **state)
{
	(void)state;
	struct conncap *c = conncap_new(3, 100);
	struct conncap_key a = v4("127.0.0.1"), b = v4("127.0.0.2");
	for (int i = 0; i < 3; i++)
		assert_int_equal(conncap_acquire(c, &a), CONNCAP_OK);
	assert_int_equal(conncap_acquire(c, &a), CONNCAP_PER_ADDR);
	assert_int_equal(conncap_count(c, &a), 3);
	assert_int_equal(conncap_acquire(c, &b), CONNCAP_OK);
	assert_int_equal(conncap_total(c), 4);
	conncap_release(c, &a);
	assert_int_equal(conncap_acquire(c, &a), CONNCAP_OK);
	assert_int_equal(conncap_acquire(c, &a), CONNCAP_PER_ADDR);
	conncap_free(c);
}

/* An address's entry goes when its last connection closes, and the table
 * never tracks more than addrs_max addresses: the next new address is
 * refused (table full) while known addresses still count. */
static void test_table_bounded(void **state)
{
	(void)state;
	struct conncap *c = conncap_new(0, 2);
	struct conncap_key a = v4("10.0.0.1"), b = v4("10.0.0.2"), d = v4("10.0.0.3");
	assert_int_equal(conncap_acquire(c, &a), CONNCAP_OK);
	assert_int_equal(conncap_acquire(c, &b), CONNCAP_OK);
	assert_int_equal(conncap_acquire(c, &d), CONNCAP_TABLE_FULL);
	for (int i = 0; i < 5000; i++) /* cap 0: counted, never refused */
		assert_int_equal(conncap_acquire(c, &a), CONNCAP_OK);
	assert_int_equal(conncap_addresses(c), 2);
	conncap_release(c, &b);
	assert_int_equal(conncap_addresses(c), 1);
	assert_int_equal(conncap_count(c, &b), 0);
	assert_int_equal(conncap_acquire(c, &d), CONNCAP_OK);
	assert_int_equal(conncap_total(c), 5002);
	conncap_free(c);
}

/* Many addresses come and go: the table ends empty (no entry leaks). */
static void test_churn_leaves_nothing(void **state)
{
	(void)state;
	struct conncap *c = conncap_new(2, 100000);
	struct sockaddr_in sin;
	struct conncap_key k;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	for (uint32_t i = 0; i < 20000; i++) {
		sin.sin_addr.s_addr = htonl(0x0a000000u + i);
		conncap_key_of((struct sockaddr *)&sin, sizeof sin, &k);
		assert_int_equal(conncap_acquire(c, &k), CONNCAP_OK);
		assert_int_equal(conncap_acquire(c, &k), CONNCAP_OK);
	}
	assert_int_equal(conncap_addresses(c), 20000);
	for (uint32_t i = 0; i < 20000; i++) {
		sin.sin_addr.s_addr = htonl(0x0a000000u + i);
		conncap_key_of((struct sockaddr *)&sin, sizeof sin, &k);
		conncap_release(c, &k);
		conncap_release(c, &k);
	}
	assert_int_equal(conncap_addresses(c), 0);
	assert_int_equal(conncap_total(c), 0);
	conncap_free(c);
}

/* IPv4-mapped IPv6 counts as its IPv4 address; IPv6 counts by /64, so one
 * network's addresses share one count; other families are not counted. */
static void test_keys(void **state)
{
	(void)state;
	struct conncap *c = conncap_new(2, 10);
	struct conncap_key m = v6("::ffff:192.0.2.7"), p = v4("192.0.2.7");
	struct conncap_key x1 = v6("2001:db8:1:2::1"), x2 = v6("2001:db8:1:2:ffff::9"),
			   y = v6("2001:db8:1:3::1");
	struct sockaddr sa = { .sa_family = AF_UNIX };
	struct conncap_key k;
	char text[64];

	assert_int_equal(m.len, 4);
	assert_memory_equal(m.b, p.b, 4);
	assert_int_equal(conncap_acquire(c, &x1), CONNCAP_OK);
	assert_int_equal(conncap_acquire(c, &x2), CONNCAP_OK);
	assert_int_equal(conncap_acquire(c, &x1), CONNCAP_PER_ADDR);
	assert_int_equal(conncap_acquire(c, &y), CONNCAP_OK);
	assert_int_equal(conncap_key_of(&sa, sizeof sa, &k), -1);
	conncap_key_text(&x1, text, sizeof text);
	assert_string_equal(text, "2001:0db8:0001:0002::/64");
	conncap_key_text(&p, text, sizeof text);
	assert_string_equal(text, "192.0.2.7");
	conncap_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cap_per_address),
		cmocka_unit_test(test_table_bounded),
		cmocka_unit_test(test_churn_leaves_nothing),
		cmocka_unit_test(test_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
