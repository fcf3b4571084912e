/* commands.h - subcommands that live in their own files (server/cli/cmd_*.c).
 * Each takes main's argc/argv (argv[1] is the command name) and returns the
 * exit code: 0 success, 1 failure or bad input, 2 usage error. */
#ifndef UJIAN_CLI_COMMANDS_H
#define UJIAN_CLI_COMMANDS_H

/* 'ujian staff add|list|passwd|disable|enable|assign' (cmd_staff.c) */
int cmd_staff(int argc, char **argv);
/* ujian audit verify|show|head (cmd_audit.c) */
int cmd_audit(int argc, char **argv);
/* ujian backup --db F --out F2 [--key K] (cmd_backup.c) */
int cmd_backup(int argc, char **argv);
/* ujian sitting add|list|assign|proctor|token (cmd_sitting.c) */
int cmd_sitting(int argc, char **argv);
/* ujian cert self-signed --out DIR --name HOST (cmd_cert.c) */
int cmd_cert(int argc, char **argv);
/* ujian talent period add|list|recompute|scores (cmd_talent.c) */
int cmd_talent(int argc, char **argv);
/* ujian employee import|list|export, skp import, sanction import (cmd_employee.c) */
int cmd_employee(int argc, char **argv);
int cmd_skp(int argc, char **argv);
int cmd_sanction(int argc, char **argv);
/* ujian selection add|applicants|list|show (cmd_selection.c) */
int cmd_selection(int argc, char **argv);
/* issue 11: ujian slip key|show|verify (cmd_slip.c) */
int cmd_slip(int argc, char **argv);
/* issue 14: ujian analysis --db F (--exam CODE | --bank CODE) (cmd_analysis.c) */
int cmd_analysis(int argc, char **argv);
/* issue 14: ujian calibrate --db F --bank CODE (cmd_calibrate.c) */
int cmd_calibrate(int argc, char **argv);

#endif
