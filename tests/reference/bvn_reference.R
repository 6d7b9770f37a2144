# Reference values of the standard bivariate normal CDF Phi_2(a, b; r) from R's mvtnorm
# (pmvnorm; for two dimensions its Fortran code uses Genz's bivariate routine, and TVPACK is
# requested explicitly with abseps = 1e-15), for tests/models/test_heckprobit.py. Points: a
# seeded random grid plus the regimes of foedus.models.bivariate (|r| below 0.3, 0.3-0.75,
# 0.75-0.925, above 0.925, r = 0, r = +-1 limits excluded) and the tails a likelihood meets.
# Writes bvn_reference.csv (a, b, r, p). Run from tests/reference: Rscript bvn_reference.R
suppressPackageStartupMessages(library(mvtnorm))
set.seed(20261201)
n <- 400
a <- rnorm(n, 0, 2.5)
b <- rnorm(n, 0, 2.5)
r <- runif(n, -1, 1)
edge <- expand.grid(a = c(-7, -3.2, -0.4, 0, 1.1, 4.5), b = c(-5.5, -1.7, 0.3, 2.6, 6),
                    r = c(-0.9999, -0.97, -0.926, -0.924, -0.6, -0.31, -0.29, 0, 0.05, 0.3,
                          0.7499, 0.7501, 0.9249, 0.9251, 0.99, 0.999999))
pts <- rbind(data.frame(a = a, b = b, r = r), edge)
p <- mapply(function(a, b, r) {
  pmvnorm(lower = c(-Inf, -Inf), upper = c(a, b), corr = matrix(c(1, r, r, 1), 2),
          algorithm = TVPACK(abseps = 1e-15))[1]
}, pts$a, pts$b, pts$r)
out <- data.frame(a = sprintf("%.17g", pts$a), b = sprintf("%.17g", pts$b),
                  r = sprintf("%.17g", pts$r), p = sprintf("%.17g", p))
write.csv(out, "bvn_reference.csv", row.names = FALSE, quote = FALSE)
cat("mvtnorm", as.character(packageVersion("mvtnorm")), ":", nrow(out), "points\n")
