# Reference numbers for foedus.models.heckprobit: an independent R implementation of the
# probit with sample selection (Van de Ven & Van Praag 1981; Stata heckprob).
#
# Needs: R >= 4.2 with mvtnorm (Debian r-cran-mvtnorm). No sampleSelection, no jsonlite: the
# likelihood is written out below, the bivariate normal CDF is mvtnorm::pmvnorm (TVPACK, one
# call per selected row), the score vector analytic, the Hessian optimHess's central
# differences of the analytic gradient; JSON is written by hand.
#
# Run from tests/reference/ (or `make reference` at the top of the repository):
#   Rscript heckprobit_reference.R
#     heckprobit_sim.csv            simulated data (written only when absent; delete it to
#                                   draw a new one); both R and the tests read it
#     heckprobit_sim_reference.json the reference numbers on it
#   FOEDUS_HECKPROBIT_PANEL=<csv> Rscript heckprobit_reference.R
#     also fits the real subsample exported by heckprobit_panel.py (formulas in <csv>.formulas)
#     and writes heckprobit_real_reference.json
#
# Parametrisation (as foedus and Stata): outcome coefficients beta, selection coefficients
# gamma, athrho = atanh(rho). Log-likelihood:
#   s = 0:         log Phi(-z gamma)
#   s = 1, y = q:  log Phi2(q x beta, z gamma; q rho),  q = 2y - 1
suppressPackageStartupMessages(library(mvtnorm))

Phi2 <- function(a, b, r) {
  vapply(seq_along(a), function(i) {
    pmvnorm(upper = c(a[i], b[i]), corr = matrix(c(1, r[i], r[i], 1), 2),
            algorithm = TVPACK(abseps = 1e-15))[1]
  }, 0)
}

# bivariate normal density with correlation r (one value), rows of cbind(a, b)
phi2 <- function(a, b, r) dmvnorm(cbind(a, b), sigma = matrix(c(1, r, r, 1), 2))

heckprob_fit <- function(y, s, X, Z) {
  kx <- ncol(X); kz <- ncol(Z); k <- kx + kz + 1; n <- length(s)
  sel <- s == 1
  X1 <- X[sel, , drop = FALSE]; Z1 <- Z[sel, , drop = FALSE]; Z0 <- Z[!sel, , drop = FALSE]
  q <- 2 * y[sel] - 1
  cache <- new.env()
  P_at <- function(th) {  # Phi2 at th, memoised (optim asks for fn and gr at the same point)
    if (!is.null(cache$th) && identical(cache$th, th)) return(cache$P)
    rho <- tanh(th[k])
    P <- Phi2(q * drop(X1 %*% th[1:kx]), drop(Z1 %*% th[kx + 1:kz]), q * rho)
    cache$th <- th; cache$P <- P
    P
  }
  loglik <- function(th) {
    sum(pnorm(-drop(Z0 %*% th[kx + 1:kz]), log.p = TRUE)) + sum(log(P_at(th)))
  }
  scores <- function(th) {
    rho <- tanh(th[k]); sr <- sqrt(1 - rho^2)
    a <- q * drop(X1 %*% th[1:kx]); b <- drop(Z1 %*% th[kx + 1:kz]); r <- q * rho
    z0 <- drop(Z0 %*% th[kx + 1:kz])
    P <- P_at(th)
    ga <- dnorm(a) * pnorm((b - r * a) / sr)
    gb <- dnorm(b) * pnorm((a - r * b) / sr)
    f2 <- ifelse(q > 0, phi2(a, b, rho), phi2(a, b, -rho))
    U <- matrix(0, n, k)
    U[!sel, kx + 1:kz] <- Z0 * (-exp(dnorm(z0, log = TRUE) - pnorm(-z0, log.p = TRUE)))
    U[sel, 1:kx] <- X1 * (q * ga / P)
    U[sel, kx + 1:kz] <- Z1 * (gb / P)
    U[sel, k] <- q * (1 - rho^2) * f2 / P
    U
  }
  gradient <- function(th) colSums(scores(th))
  # start: the two separate probits, athrho = 0
  gs <- glm.fit(Z, s, family = binomial(link = "probit"), control = glm.control(epsilon = 1e-14, maxit = 100))
  gy <- glm.fit(X1, y[sel], family = binomial(link = "probit"), control = glm.control(epsilon = 1e-14, maxit = 100))
  ll_probit <- function(g, yy) sum(yy * pnorm(g$linear.predictors, log.p = TRUE) +
                                     (1 - yy) * pnorm(-g$linear.predictors, log.p = TRUE))
  llf_indep <- ll_probit(gs, s) + ll_probit(gy, y[sel])
  th <- c(coef(gy), coef(gs), 0)
  opt <- optim(th, loglik, gradient, method = "BFGS",
               control = list(fnscale = -1, reltol = 1e-15, maxit = 1000))
  th <- opt$par
  # Newton polish with the Hessian of central differences of the analytic gradient
  hess <- function(th) optimHess(th, loglik, gradient, control = list(ndeps = rep(1e-5, k)))
  for (i in 1:4) th <- th - solve(hess(th), gradient(th))
  H <- hess(th)
  V <- solve(-H); V <- (V + t(V)) / 2
  list(params = th, llf = loglik(th), llf_indep = llf_indep, cov = V, scores = scores(th),
       max_abs_grad = max(abs(gradient(th))), bfgs_counts = opt$counts, n = n,
       n_selected = sum(sel), n_events = sum(y[sel]))
}

sandwich_hc0 <- function(fit) { V <- fit$cov; M <- crossprod(fit$scores); V %*% M %*% V }
sandwich_cluster <- function(fit, groups) {
  S <- rowsum(fit$scores, groups); G <- nrow(S)
  fit$cov %*% crossprod(S) %*% fit$cov * G / (G - 1)
}

# ---------------------------------------------------------------- JSON by hand (15 digits)
num <- function(x) sprintf("%.15g", x)
jvec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
jmat <- function(m) paste0("[\n    ", paste(apply(m, 1, jvec), collapse = ",\n    "), "]")
jstr <- function(x) paste0("[", paste0('"', x, '"', collapse = ", "), "]")
write_reference <- function(path, fit, names, outcome, select, extra = list()) {
  fields <- c(
    sprintf('"outcome": "%s"', outcome), sprintf('"select": "%s"', select),
    sprintf('"names": %s', jstr(names)), sprintf('"params": %s', jvec(fit$params)),
    sprintf('"llf": %s', num(fit$llf)), sprintf('"llf_indep": %s', num(fit$llf_indep)),
    sprintf('"nobs": %d', fit$n), sprintf('"n_selected": %d', fit$n_selected),
    sprintf('"n_events": %d', as.integer(fit$n_events)),
    sprintf('"max_abs_grad": %s', num(fit$max_abs_grad)),
    sprintf('"cov": %s', jmat(fit$cov)), sprintf('"hc0": %s', jmat(sandwich_hc0(fit))),
    unlist(extra),
    sprintf('"R": "%s, mvtnorm %s"', R.version.string, packageVersion("mvtnorm")))
  writeLines(c("{", paste0("  ", fields, collapse = ",\n"), "}"), path)
  cat("wrote", path, "\n")
}

foedus_names <- function(X, Z) {
  clean <- function(v) sub("^\\(Intercept\\)$", "Intercept", v)
  c(clean(colnames(X)), paste0("select:", clean(colnames(Z))), "athrho")
}

designs <- function(data, outcome, select) {
  rhs <- function(f) model.matrix(delete.response(terms(as.formula(f))),
                                  model.frame(delete.response(terms(as.formula(f))), data,
                                              na.action = na.pass))
  X <- rhs(outcome); Z <- rhs(select)
  s <- data[[all.vars(as.formula(select))[1]]]
  y <- data[[all.vars(as.formula(outcome))[1]]]
  y[s == 0] <- 0
  list(X = X, Z = Z, s = s, y = y)
}

# ---------------------------------------------------------------- simulated data
sim_csv <- "heckprobit_sim.csv"
if (!file.exists(sim_csv)) {
  set.seed(20261201)
  n <- 3000
  z1 <- rnorm(n); z2 <- rnorm(n); x1 <- rnorm(n)
  rho <- 0.5
  u <- rnorm(n); e <- rho * u + sqrt(1 - rho^2) * rnorm(n)
  s <- as.numeric(-0.2 + 0.8 * z1 + 0.6 * z2 + 0.4 * x1 + u > 0)
  y <- as.numeric(0.3 + 0.7 * x1 - 0.5 * z1 + e > 0)
  y[s == 0] <- NA
  g <- sample.int(100, n, replace = TRUE)
  write.csv(data.frame(y = y, s = s, z1 = z1, z2 = z2, x1 = x1, g = g), sim_csv,
            row.names = FALSE, na = "")
  cat("wrote", sim_csv, "\n")
}
sim <- read.csv(sim_csv)
sim_out <- "y ~ x1 + z1"; sim_sel <- "s ~ z1 + z2 + x1"
d <- designs(sim, sim_out, sim_sel)
fit <- heckprob_fit(d$y, d$s, d$X, d$Z)
write_reference("heckprobit_sim_reference.json", fit, foedus_names(d$X, d$Z), sim_out, sim_sel,
                list(sprintf('"cluster": %s', jmat(sandwich_cluster(fit, sim$g))),
                     '"cluster_by": "g"',
                     '"truth": {"rho": 0.5, "beta": [0.3, 0.7, -0.5], "gamma": [-0.2, 0.8, 0.6, 0.4]}'))

# ---------------------------------------------------------------- real subsample
panel_csv <- Sys.getenv("FOEDUS_HECKPROBIT_PANEL")
if (nzchar(panel_csv)) {
  real <- read.csv(panel_csv)
  formulas <- readLines(paste0(panel_csv, ".formulas"))
  d <- designs(real, formulas[1], formulas[2])
  fit <- heckprob_fit(d$y, d$s, d$X, d$Z)
  dyad <- paste(real$ccode1, real$ccode2)
  write_reference("heckprobit_real_reference.json", fit, foedus_names(d$X, d$Z), formulas[1],
                  formulas[2], list(sprintf('"cluster": %s', jmat(sandwich_cluster(fit, dyad))),
                                    '"cluster_by": "directed_dyad"'))
}
