/* unit.h - common includes for the cmocka unit tests. */
#ifndef UJIAN_UNIT_H
#define UJIAN_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#endif
