# Reference numbers for tests/models from R (glm, Zelig relogit, brglm2, sandwich, survival).
#
# Run from this folder:   Rscript make_reference.R        (or `make reference` at the top)
# Needs: R >= 4.2 with Zelig (5.1.x), brglm2, sandwich, survival, jsonlite
#        (Debian: apt-get install r-base-core r-cran-zelig r-cran-brglm2 r-cran-sandwich r-cran-jsonlite).
#
# Inputs/outputs (all in this folder):
#   sim_dyadic.csv  simulated rare-event directed dyad-year data (30 states, 5 years, ~3%
#                   events; state propensities make the errors dyadic; capprop is
#                   antisymmetric in the dyad, contig and ldist symmetric, trade varies by
#                   year). Written by this script only when absent, so that the fixtures do
#                   not depend on R's random-number stream; both R and Python read it.
#   sim_reference.json   reference numbers on the simulated data.
#   Real panel (optional): set FOEDUS_REFERENCE_PANEL=/path/panel.csv (columns ccode1,
#   ccode2, year and the model's variables), FOEDUS_REFERENCE_FORMULA="y ~ x1 + x2" and
#   optionally FOEDUS_REFERENCE_FE_FORMULA (regressors that vary within dyads, for clogit
#   and the FE LPM); writes real_reference.json with the same models.
#
# Precision: glm stops on the relative change in deviance, so its estimates and SEs are
# accurate to ~1e-6 with the default epsilon. Every glm here runs with epsilon = 1e-15, and
# the logit/probit fits are polished with extra Newton/Fisher-scoring steps; the size of the
# polish is printed. JSON is written with 15 significant digits.

suppressPackageStartupMessages({
  library(jsonlite)
  library(sandwich)
  library(brglm2)
  library(survival)
  library(Zelig)
})

ctrl <- glm.control(epsilon = 1e-15, maxit = 200)

# ------------------------------------------------------------------ simulated data
simulate_dyadic <- function(path) {
  set.seed(20010601)
  N <- 30
  years <- 1990:1994
  ccode <- seq(100, by = 5, length.out = N)
  cap <- rlnorm(N, 0, 1)                 # state capabilities
  u_chal <- rnorm(N, 0, 0.6)             # state propensities (make the errors dyadic)
  u_targ <- rnorm(N, 0, 0.6)
  d <- expand.grid(j = 1:N, i = 1:N)
  d <- d[d$i != d$j, c("i", "j")]
  lo <- pmin(d$i, d$j); hi <- pmax(d$i, d$j)
  und <- (lo - 1) * N + hi
  contig_u <- rbinom(N * N, 1, 0.15)     # symmetric in the dyad
  ldist_u <- runif(N * N, 4, 9)
  d$contig <- contig_u[und]
  d$ldist <- ldist_u[und]
  d$capprop <- cap[d$i] / (cap[d$i] + cap[d$j])  # antisymmetric: (a,b) + (b,a) = 1
  d$pact <- rbinom(nrow(d), 1, 0.12)
  out <- do.call(rbind, lapply(years, function(t) {
    x <- d
    x$year <- t
    flip <- rbinom(nrow(x), 1, 0.05)
    x$defpact <- ifelse(flip == 1, 1 - x$pact, x$pact)
    x$trade <- rnorm(nrow(x))              # varies within the dyad (for the FE models)
    x
  }))
  eta <- -4.6 + 1.2 * out$capprop + 0.9 * out$contig - 0.35 * (out$ldist - 6.5) -
    0.7 * out$defpact + 0.4 * out$trade + u_chal[out$i] + u_targ[out$j]
  out$y <- rbinom(nrow(out), 1, plogis(eta))
  res <- data.frame(ccode1 = ccode[out$i], ccode2 = ccode[out$j], year = out$year,
                    y = out$y, capprop = sprintf("%.6f", out$capprop),
                    contig = out$contig, ldist = sprintf("%.6f", out$ldist),
                    defpact = out$defpact, trade = sprintf("%.6f", out$trade))
  res <- res[order(res$ccode1, res$ccode2, res$year), ]
  write.csv(res, path, row.names = FALSE, quote = FALSE)
}

if (!file.exists("sim_dyadic.csv")) simulate_dyadic("sim_dyadic.csv")

# ------------------------------------------------------------------ helpers
mat <- function(m) unname(lapply(seq_len(nrow(m)), function(i) unname(m[i, ])))
entry <- function(params, cov, extra = list()) {
  c(list(names = names(params), params = unname(params), cov = mat(cov)), extra)
}

polish <- function(fit, link = c("logit", "probit"), steps = 3) {
  link <- match.arg(link)
  X <- model.matrix(fit); y <- fit$y; beta <- coef(fit)
  for (s in seq_len(steps)) {
    eta <- drop(X %*% beta)
    if (link == "logit") {
      p <- plogis(eta); w <- p * (1 - p); r <- y - p
    } else {
      p <- pnorm(eta); phi <- dnorm(eta)
      w <- phi^2 / (p * (1 - p)); r <- (y - p) * phi / (p * (1 - p))
    }
    step <- solve(crossprod(X, w * X), crossprod(X, r))
    beta <- beta + drop(step)
  }
  cat(sprintf("  polish %s: max |change| = %.2e\n", link, max(abs(beta - coef(fit)))))
  eta <- drop(X %*% beta)
  if (link == "logit") {
    p <- plogis(eta); w <- p * (1 - p); w_obs <- w
  } else {
    p <- pnorm(eta); phi <- dnorm(eta); w <- phi^2 / (p * (1 - p))
    q <- 2 * y - 1; lam <- q * dnorm(q * eta) / pnorm(q * eta); w_obs <- lam * (lam + eta)
  }
  list(params = beta, cov = solve(crossprod(X, w * X)),
       cov_observed = solve(crossprod(X, w_obs * X)),
       llf = sum(y * log(p) + (1 - y) * log(1 - p)))
}

# Firth: penalised log-likelihood, restricted maximisation by Newton on the modified score,
# written out plainly (independent of foedus and of brglm2).
firth_pll <- function(X, y, beta) {
  eta <- drop(X %*% beta); p <- plogis(eta)
  sum(y * eta - log1p(exp(eta))) +
    0.5 * as.numeric(determinant(crossprod(X, p * (1 - p) * X))$modulus)
}
firth_restricted <- function(X, y, start, j, value) {
  beta <- start; beta[j] <- value; free <- setdiff(seq_along(beta), j)
  for (it in 1:500) {
    eta <- drop(X %*% beta); p <- plogis(eta); w <- p * (1 - p)
    I <- crossprod(X, w * X)
    h <- rowSums((X %*% solve(I)) * X) * w
    U <- crossprod(X, y - p + h * (0.5 - p))
    step <- solve(I[free, free, drop = FALSE], U[free])
    t <- 1; old <- firth_pll(X, y, beta)
    repeat {
      nb <- beta; nb[free] <- nb[free] + t * step
      if (firth_pll(X, y, nb) >= old - 1e-13 * abs(old) || t < 1e-10) break
      t <- t / 2
    }
    beta <- nb
    if (max(abs(t * step)) < 1e-13) break
  }
  list(beta = beta, pll = firth_pll(X, y, beta))
}
firth_profile <- function(X, y, bhat, se, pmax, alpha = 0.05) {
  q <- qchisq(1 - alpha, 1)
  k <- length(bhat)
  # A restricted fit can reach a singular information matrix on rare-event data (e.g. the
  # intercept fixed far from its estimate); such a test or bound is recorded as NA.
  plr <- sapply(seq_len(k), function(j) tryCatch(
    2 * (pmax - firth_restricted(X, y, bhat, j, 0)$pll), error = function(e) NA_real_))
  ci <- t(sapply(seq_len(k), function(j) tryCatch({
    f <- function(v) 2 * (pmax - firth_restricted(X, y, bhat, j, v)$pll) - q
    lower <- uniroot(f, c(bhat[j] - 6 * se[j], bhat[j]), tol = 1e-13)$root
    upper <- uniroot(f, c(bhat[j], bhat[j] + 6 * se[j]), tol = 1e-13)$root
    c(lower, upper)
  }, error = function(e) c(NA_real_, NA_real_))))
  list(plr_chi2 = plr, plr_pvalue = pchisq(plr, 1, lower.tail = FALSE),
       profile_ci = mat(ci))
}

# Dyadic-robust (Aronow, Samii & Assenova 2015), literally as their equation:
# V = sum_s V_C(s) - V_D - (N - 2) V_0, where V_C(s) clusters all dyads involving state s
# together (every other observation its own cluster), V_D clusters on the undirected dyad
# and V_0 is HC0; no small-sample factors. One sandwich fit per state: slow, obviously right.
dyadic_slow <- function(fit, d) {
  states <- sort(unique(c(d$ccode1, d$ccode2)))
  N <- length(states)
  rowid <- seq_len(nrow(d))
  V <- 0
  for (s in states) {
    involves <- d$ccode1 == s | d$ccode2 == s
    cl <- ifelse(involves, 0L, rowid)
    V <- V + vcovCL(fit, cluster = cl, type = "HC0", cadjust = FALSE)
  }
  und <- paste(pmin(d$ccode1, d$ccode2), pmax(d$ccode1, d$ccode2))
  V - vcovCL(fit, cluster = und, type = "HC0", cadjust = FALSE) -
    (N - 2) * vcovHC(fit, type = "HC0")
}

zelig_relogit <- function(formula, d, ...) {
  z <- zelig(formula, model = "relogit", data = d, cite = FALSE, ...)
  from_zelig_model(z)
}

# ------------------------------------------------------------------ the models
reference_for <- function(d, formula, fe_formula) {
  out <- list(formula = deparse(formula), nobs = nrow(d), ybar = mean(d[[all.vars(formula)[1]]]))
  d$ddyad <- paste(d$ccode1, d$ccode2)
  d$udyad <- paste(pmin(d$ccode1, d$ccode2), pmax(d$ccode1, d$ccode2))

  cat("logit\n")
  m <- glm(formula, family = binomial("logit"), data = d, control = ctrl)
  pl <- polish(m, "logit")
  out$logit <- entry(pl$params, pl$cov, list(llf = pl$llf))
  out$logit_cov <- list(
    HC0 = mat(vcovHC(m, type = "HC0")),
    HC1 = mat(vcovHC(m, type = "HC1")),
    cluster_directed_dyad = mat(vcovCL(m, cluster = d$ddyad, type = "HC0")),
    cluster_dyad = mat(vcovCL(m, cluster = d$udyad, type = "HC0")),
    cluster_ccode1 = mat(vcovCL(m, cluster = d$ccode1, type = "HC0")),
    twoway = mat(vcovCL(m, cluster = d[, c("ccode1", "ccode2")], type = "HC0", multi0 = FALSE)),
    dyadic_raw = mat(dyadic_slow(m, d))
  )

  cat("probit\n")
  mp <- glm(formula, family = binomial("probit"), data = d, control = ctrl)
  pp <- polish(mp, "probit")
  out$probit <- entry(pp$params, pp$cov, list(cov_observed = mat(pp$cov_observed), llf = pp$llf))
  out$probit_cov <- list(HC0 = mat(vcovHC(mp, type = "HC0")),
                         cluster_dyad = mat(vcovCL(mp, cluster = d$udyad, type = "HC0")))

  cat("Zelig relogit\n")
  ybar <- mean(d[[all.vars(formula)[1]]])
  tau <- ybar / 3
  out$relogit_tau <- tau
  zr <- zelig_relogit(formula, d)
  out$relogit_zelig <- entry(coef(zr), vcov(zr), list(HC0 = mat(sandwich(zr))))
  zp <- zelig_relogit(formula, d, tau = tau, case.control = "prior")
  out$relogit_zelig_prior <- entry(coef(zp), vcov(zp))
  zw <- zelig_relogit(formula, d, tau = tau, case.control = "weighting")
  out$relogit_zelig_weighting <- entry(coef(zw), vcov(zw))

  cat("brglm2 Firth\n")
  mf <- glm(formula, family = binomial("logit"), data = d, method = "brglmFit",
            type = "AS_mean", epsilon = 1e-13, maxit = 500)
  X <- model.matrix(mf)
  y <- d[[all.vars(formula)[1]]]
  pmax <- firth_pll(X, y, coef(mf))
  prof <- firth_profile(X, y, coef(mf), sqrt(diag(vcov(mf))), pmax)
  out$firth <- entry(coef(mf), vcov(mf), c(list(penalised_llf = pmax), prof))

  cat("clogit\n")
  # fixed-effects models: regressors that vary within the dyad
  rhs <- attr(terms(fe_formula), "term.labels")
  cf <- as.formula(paste(all.vars(formula)[1], "~", paste(rhs, collapse = " + "),
                         "+ strata(ddyad)"))
  mc <- clogit(cf, data = d, method = "exact", control = coxph.control(eps = 1e-11,
                                                                        iter.max = 100))
  out$clogit <- entry(coef(mc), vcov(mc), list(llf = mc$loglik[2]))

  if (nrow(d) > 200000) return(out)  # lm with one dummy per dyad is too large for a panel
  cat("LPM with dyad and year dummies (lm)\n")
  lf <- as.formula(paste(all.vars(formula)[1], "~", paste(rhs, collapse = " + "),
                         "+ factor(ddyad) + factor(year)"))
  ml <- lm(lf, data = d)
  keep <- rhs
  out$lpm_fe <- entry(coef(ml)[keep], vcov(ml)[keep, keep, drop = FALSE],
                      list(cov_HC0 = mat(vcovHC(ml, type = "HC0")[keep, keep, drop = FALSE])))
  out
}

sim <- read.csv("sim_dyadic.csv")
sim_formula <- y ~ capprop + contig + ldist + defpact + trade
ref <- reference_for(sim, sim_formula, y ~ defpact + trade)
ref$R_version <- R.version.string
ref$packages <- lapply(c("Zelig", "brglm2", "sandwich", "survival"),
                       function(p) paste(p, as.character(packageVersion(p))))
write_json(ref, "sim_reference.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
cat("wrote sim_reference.json\n")

panel_csv <- Sys.getenv("FOEDUS_REFERENCE_PANEL")
if (nzchar(panel_csv)) {
  real <- read.csv(panel_csv)
  # formulas: from the environment, else from <panel>.json (written by real_panel.py)
  sidecar <- paste0(panel_csv, ".json")
  meta <- if (file.exists(sidecar)) fromJSON(sidecar) else list()
  f_env <- Sys.getenv("FOEDUS_REFERENCE_FORMULA", unset = if (is.null(meta$formula)) "" else meta$formula)
  real_formula <- as.formula(f_env)
  # FE formula: FOEDUS_REFERENCE_FE_FORMULA (regressors varying within dyads), default the same
  fe_env <- Sys.getenv("FOEDUS_REFERENCE_FE_FORMULA",
                       unset = if (is.null(meta$fe_formula)) "" else meta$fe_formula)
  real_fe_formula <- if (nzchar(fe_env)) as.formula(fe_env) else real_formula
  vars <- unique(c(all.vars(real_formula), all.vars(real_fe_formula), "ccode1", "ccode2", "year"))
  real <- real[complete.cases(real[, vars]), vars]
  rr <- reference_for(real, real_formula, real_fe_formula)
  rr$source <- basename(panel_csv)
  write_json(rr, "real_reference.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
  cat("wrote real_reference.json\n")
}
