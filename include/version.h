/* version.h - the Ujian release. */
#ifndef UJIAN_VERSION_H
#define UJIAN_VERSION_H
#define UJIAN_VERSION "0.1.0"
#endif
