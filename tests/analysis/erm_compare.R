# erm_compare.R - compare Ujian's Rasch calibration with R's eRm on the same
# response matrix (outside make test; see docs/TESTING.md "Rasch calibration
# against eRm").
#
#   Rscript tests/analysis/erm_compare.R MATRIX.csv ESTIMATES.csv [--no-se]
#
# --no-se: eRm without standard errors (no Hessian: much faster on a large
# matrix; the SE and fit lines are then left out).
#
# MATRIX.csv: one row per person, one column per item, 1/0, NA where the
# person did not see the item (written by build/rasch-sim --matrix).
# ESTIMATES.csv: Ujian's estimates (build/rasch-sim --est): item, true_b, b,
# se, infit, outfit, n.
#
# eRm::RM estimates by conditional maximum likelihood with the difficulties
# summing to 0 (sum0 = TRUE), the same identification as Ujian; it returns
# easiness parameters (betapar), so the difficulty is -betapar.
suppressPackageStartupMessages(library(eRm))
args <- commandArgs(trailingOnly = TRUE)
want_se <- !("--no-se" %in% args)
args <- setdiff(args, "--no-se")
if (length(args) != 2) {
  cat("usage: Rscript erm_compare.R MATRIX.csv ESTIMATES.csv [--no-se]\n")
  quit(status = 2)
}
X <- as.matrix(read.csv(args[1], check.names = FALSE))
u <- read.csv(args[2])
t0 <- proc.time()[["elapsed"]]
m <- RM(X, se = want_se, sum0 = TRUE)
t1 <- proc.time()[["elapsed"]]
erm_b <- -m$betapar
erm_se <- m$se.beta
names(erm_b) <- sub("^beta ", "", names(erm_b))
b <- u$b[match(names(erm_b), u$item)]
se <- u$se[match(names(erm_b), u$item)]
d <- b - erm_b
cat(sprintf("persons %d, items %d, responses %d (eRm %s, %.1f s)\n", nrow(X), ncol(X),
            sum(!is.na(X)), as.character(packageVersion("eRm")), t1 - t0))
cat(sprintf("difficulty: correlation %.6f, max |Ujian - eRm| %.2e logits, mean |diff| %.2e\n",
            cor(b, erm_b), max(abs(d)), mean(abs(d))))
cat(sprintf("conditional log-likelihood: eRm %.3f\n", m$loglik))
if (!want_se) quit(status = 0)
cat(sprintf("SE: correlation %.4f, Ujian/eRm ratio %.3f..%.3f\n",
            cor(se, erm_se), min(se / erm_se), max(se / erm_se)))
pp <- person.parameter(m)
fit <- itemfit(pp)
cat(sprintf("infit: correlation %.4f, max |diff| %.3f; outfit: correlation %.4f, max |diff| %.3f\n",
            cor(u$infit, fit$i.infitMSQ), max(abs(u$infit - fit$i.infitMSQ)),
            cor(u$outfit, fit$i.outfitMSQ), max(abs(u$outfit - fit$i.outfitMSQ))))
cat("(person abilities differ by design: eRm uses ML with interpolated extremes, Ujian WLE)\n")
