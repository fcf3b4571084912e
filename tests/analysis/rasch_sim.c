/* rasch_sim.c - a driver for the Rasch calibration outside make test:
 * simulates an incomplete design (tests/analysis/rasch_sim.h), calibrates
 * it with server/analysis/rasch.c, prints the time and the recovery of the
 * true difficulties, and optionally writes the response matrix (CSV, NA for
 * an item a person did not see) and the estimates (CSV) for
 * tests/analysis/erm_compare.R.
 *
 *   build/rasch-sim [--persons N] [--items N] [--per K] [--lo B] [--hi B]
 *                   [--seed S] [--matrix FILE] [--est FILE]
 *
 * Defaults: the unit test's design (1,000 persons x 60 items, 30 each). The
 * benchmark in docs/BENCHMARKS.md: --persons 25000 --items 300 --per 110. */
#include "analysis/rasch.h"
#include "core/mem.h"

#include "rasch_sim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int write_matrix(const char *path, int np, int ni, const struct rasch_resp *r, size_t n)
{
	signed char *m = xmalloc((size_t)np * (size_t)ni);
	memset(m, -1, (size_t)np * (size_t)ni);
	for (size_t q = 0; q < n; q++)
		m[(size_t)r[q].person * (size_t)ni + (size_t)r[q].item] = (signed char)r[q].x;
	FILE *f = fopen(path, "w");
	if (!f) {
		free(m);
		return -1;
	}
	for (int i = 0; i < ni; i++)
		fprintf(f, "%sI%d", i ? "," : "", i + 1);
	fputc('\n', f);
	for (int v = 0; v < np; v++) {
		for (int i = 0; i < ni; i++) {
			signed char x = m[(size_t)v * (size_t)ni + (size_t)i];
			if (i)
				fputc(',', f);
			fputs(x < 0 ? "NA" : x ? "1" : "0", f);
		}
		fputc('\n', f);
	}
	free(m);
	return fclose(f);
}

static int write_est(const char *path, const struct rasch_fit *fit, const double *b)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "item,true_b,b,se,infit,outfit,n\n");
	for (int i = 0; i < fit->n_items; i++)
		fprintf(f, "I%d,%.6f,%.8f,%.8f,%.6f,%.6f,%lld\n", i + 1, b[i], fit->b[i], fit->b_se[i],
			fit->infit[i], fit->outfit[i], (long long)fit->item_n[i]);
	return fclose(f);
}

int main(int argc, char **argv)
{
	int np = 1000, ni = 60, k = 30;
	double lo = -2, hi = 2;
	unsigned long long seed = 20261202ULL;
	const char *mpath = NULL, *epath = NULL;
	for (int a = 1; a < argc; a++) {
		const char *o = argv[a], *v = a + 1 < argc ? argv[a + 1] : NULL;
		if (!v) {
			fprintf(stderr, "rasch-sim: %s needs a value\n", o);
			return 2;
		}
		a++;
		if (!strcmp(o, "--persons"))
			np = atoi(v);
		else if (!strcmp(o, "--items"))
			ni = atoi(v);
		else if (!strcmp(o, "--per"))
			k = atoi(v);
		else if (!strcmp(o, "--lo"))
			lo = atof(v);
		else if (!strcmp(o, "--hi"))
			hi = atof(v);
		else if (!strcmp(o, "--seed"))
			seed = strtoull(v, NULL, 10);
		else if (!strcmp(o, "--matrix"))
			mpath = v;
		else if (!strcmp(o, "--est"))
			epath = v;
		else {
			fprintf(stderr, "rasch-sim: unknown option %s\n", o);
			return 2;
		}
	}
	if (np < 1 || ni < 2 || k < 2 || k > ni) {
		fprintf(stderr, "rasch-sim: need persons >= 1, 2 <= per <= items\n");
		return 2;
	}
	double *theta = xmalloc((size_t)np * sizeof *theta), *b = xmalloc((size_t)ni * sizeof *b);
	size_t n;
	struct rasch_resp *r = sim_data(seed, np, ni, k, lo, hi, -1, theta, b, &n);
	struct rasch_fit fit;
	char err[256];
	double t0 = now_s();
	if (rasch_calibrate(np, ni, r, n, NULL, &fit, err, sizeof err)) {
		fprintf(stderr, "rasch-sim: %s\n", err);
		return 1;
	}
	double t1 = now_s();
	double mt = 0, me = 0, se2 = 0, st = 0, sc = 0, ss = 0, maxd = 0;
	int m = 0;
	for (int i = 0; i < ni; i++)
		if (!isnan(fit.b[i])) {
			mt += b[i];
			me += fit.b[i];
			m++;
		}
	mt /= m;
	me /= m;
	for (int i = 0; i < ni; i++)
		if (!isnan(fit.b[i])) {
			double t = b[i] - mt, e = fit.b[i] - me;
			se2 += (t - e) * (t - e);
			st += t * t;
			ss += e * e;
			sc += t * e;
			maxd = fmax(maxd, fabs(t - e));
		}
	printf("persons %d items %d per person %d responses %zu\n", np, ni, k, n);
	printf("calibration %.3f s, %d iterations, max change %.2g, converged %d, loglik %.3f\n",
	       t1 - t0, fit.iterations, fit.max_change, fit.converged, fit.loglik);
	printf("difficulties vs truth: r %.4f, RMSE %.4f, max |diff| %.4f (%d items)\n",
	       sc / sqrt(st * ss), sqrt(se2 / m), maxd, m);
	int rc = 0;
	if (mpath && write_matrix(mpath, np, ni, r, n)) {
		fprintf(stderr, "rasch-sim: cannot write %s\n", mpath);
		rc = 1;
	}
	if (epath && write_est(epath, &fit, b)) {
		fprintf(stderr, "rasch-sim: cannot write %s\n", epath);
		rc = 1;
	}
	rasch_fit_free(&fit);
	free(r);
	free(theta);
	free(b);
	return rc;
}
