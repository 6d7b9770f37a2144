# Reference numbers for foedus.models.coxph / weibull from R's survival package.
#
# Run from this folder:   Rscript survival_reference.R        (or `make reference` at the top)
# Needs: R >= 4.2 with survival (Debian: r-cran-survival); JSON is written by to_json() below
# (base R only, 15 significant digits).
#
# Inputs/outputs (all in this folder):
#   sim_survival.csv   simulated counting-process data: 200 subjects in 25 clusters, delayed
#                      entry (entry time 0, 1 or 2), one fixed covariate (x1), one that changes
#                      every period (x2), integer times (so tied event times: Efron matters),
#                      administrative censoring at 15. Written only when absent, so that the
#                      fixtures do not depend on R's random-number stream.
#   sim_subjects.csv   one row per subject (total time, event, x1, x2 at entry) for survreg,
#                      which has no left truncation.
#   survival_reference.json   reference numbers.
#   Real data (optional): FOEDUS_SURVIVAL_PANEL=/path/alliance_durations.csv (written by
#   survival_panel.py: alliance-year rows with start, stop, ended, atopid and the covariates;
#   its sidecar <panel>.models.tsv lists "name<TAB>right-hand side") adds the models under "real".
#
# Models: coxph Efron and Breslow on (start, stop], with and without cluster(); survreg weibull
# (classical and robust cluster) on the subject data; the Weibull with left truncation (which
# survreg does not fit) by maximum likelihood written here: optim (BFGS, analytic gradient),
# Newton polish with optimHess, covariance the inverse of optimHess (a numerical derivative of
# the analytic gradient). coxph runs with eps = 1e-13, survreg with rel.tolerance = 1e-13.

suppressPackageStartupMessages(library(survival))

to_json <- function(x, indent = "") {
  inner <- paste0(indent, "  ")
  if (is.list(x)) {
    keys <- names(x)
    items <- vapply(seq_along(x), function(i) to_json(x[[i]], inner), "")
    if (is.null(keys)) return(paste0("[", paste(items, collapse = ", "), "]"))
    body <- paste0(inner, '"', keys, '": ', items, collapse = ",\n")
    return(paste0("{\n", body, "\n", indent, "}"))
  }
  v <- ifelse(is.na(x), "null", sprintf("%.15g", as.numeric(x)))
  if (length(x) == 1) v else paste0("[", paste(v, collapse = ", "), "]")
}

cctrl <- coxph.control(eps = 1e-13, toler.chol = 1e-15, iter.max = 100)
sctrl <- survreg.control(rel.tolerance = 1e-13, maxiter = 200)

simulate <- function(path, subj_path) {
  set.seed(19910801)
  n <- 200
  rows <- list()
  subj <- list()
  for (i in seq_len(n)) {
    cid <- (i - 1) %% 25 + 1
    x1 <- rbinom(1, 1, 0.4)
    entry <- sample(c(0, 0, 0, 1, 2), 1)
    x2 <- rnorm(1)
    x2_0 <- x2
    t <- entry
    repeat {
      h <- 0.08 * exp(-0.6 * x1 + 0.5 * x2) * (1 + 0.1 * t)
      ev <- rbinom(1, 1, 1 - exp(-h))
      rows[[length(rows) + 1]] <- data.frame(id = i, cid = cid, start = t, stop = t + 1,
                                             event = ev, x1 = x1, x2 = round(x2, 4))
      t <- t + 1
      if (ev == 1 || t >= 15) break
      x2 <- x2 + rnorm(1, 0, 0.3)
    }
    subj[[i]] <- data.frame(id = i, cid = cid, time = t, event = ev, x1 = x1, x2 = round(x2_0, 4))
  }
  write.csv(do.call(rbind, rows), path, row.names = FALSE)
  write.csv(do.call(rbind, subj), subj_path, row.names = FALSE)
}

if (!file.exists("sim_survival.csv")) simulate("sim_survival.csv", "sim_subjects.csv")

pack <- function(coef, V, extra = list()) {
  c(list(params = as.list(coef), bse = as.list(sqrt(diag(V))),
         cov = lapply(seq_len(nrow(V)), function(i) unname(V[i, ]))), extra)
}

cox_ref <- function(f, d, cluster = NULL, ties = "efron") {
  fit <- if (is.null(cluster)) coxph(f, d, ties = ties, control = cctrl)
         else coxph(f, transform(d, clus_ = d[[cluster]]), ties = ties, cluster = clus_, control = cctrl)
  pack(coef(fit), vcov(fit), list(llf = fit$loglik[2], llnull = fit$loglik[1],
                                  nobs = fit$n, n_events = fit$nevent,
                                  naive_bse = as.list(sqrt(diag(fit$naive.var %||% vcov(fit))))))
}
`%||%` <- function(a, b) if (is.null(a)) b else a

survreg_ref <- function(f, d, cluster = NULL) {
  fit <- if (is.null(cluster)) survreg(f, d, dist = "weibull", control = sctrl)
         else survreg(f, transform(d, clus_ = d[[cluster]]), dist = "weibull", cluster = clus_,
                      robust = TRUE, control = sctrl)
  coef <- c(coef(fit), "log(scale)" = log(fit$scale))
  pack(coef, vcov(fit), list(llf = fit$loglik[2], nobs = nrow(d)))
}

# Weibull AFT with left truncation: rows (a, b], event d; z = (log t - x g) / sigma
weibull_trunc_ref <- function(rhs, d, start, stop, event) {
  X <- model.matrix(rhs, d)
  a <- d[[start]]; b <- d[[stop]]; dd <- d[[event]]
  tr <- a > 0
  la <- ifelse(tr, log(ifelse(tr, a, 1)), 0)
  lb <- log(b)
  k <- ncol(X)
  ll <- function(th) {
    g <- th[1:k]; s <- th[k + 1]; sig <- exp(s)
    eta <- drop(X %*% g)
    z <- (lb - eta) / sig
    za <- ifelse(tr, (la - eta) / sig, -Inf)
    sum(dd * (z - s - lb) - exp(z) + ifelse(tr, exp(za), 0))
  }
  gr <- function(th) {
    g <- th[1:k]; s <- th[k + 1]; sig <- exp(s)
    eta <- drop(X %*% g)
    z <- (lb - eta) / sig
    za <- ifelse(tr, (la - eta) / sig, 0)
    eza <- ifelse(tr, exp(za), 0)
    q <- dd - exp(z) + eza
    c(-colSums(X * q) / sig, sum(-dd - (dd - exp(z)) * z - eza * za))
  }
  start_lm <- lm.fit(X, lb)
  th <- c(start_lm$coefficients, log(sd(start_lm$residuals)))
  opt <- optim(th, function(t) -ll(t), function(t) -gr(t), method = "BFGS",
               control = list(reltol = 1e-15, maxit = 10000))
  th <- opt$par
  for (i in 1:20) {  # Newton polish on the analytic gradient
    H <- optimHess(th, function(t) -ll(t), function(t) -gr(t), control = list(ndeps = rep(1e-5, k + 1)))
    step <- solve(H, gr(th))
    th <- th + step
    if (max(abs(step)) < 1e-13) break
  }
  cat(sprintf("weibull truncated: last Newton step %.2e, |gradient| %.2e\n", max(abs(step)), max(abs(gr(th)))))
  H <- optimHess(th, function(t) -ll(t), function(t) -gr(t), control = list(ndeps = rep(1e-5, k + 1)))
  names(th) <- c(colnames(X), "log(scale)")
  pack(th, solve(H), list(llf = ll(th), nobs = nrow(d)))
}

sim <- read.csv("sim_survival.csv")
subj <- read.csv("sim_subjects.csv")
f_sim <- Surv(start, stop, event) ~ x1 + x2
out <- list(
  simulated = list(
    cox_efron = cox_ref(f_sim, sim),
    cox_efron_cluster = cox_ref(f_sim, sim, "cid"),
    cox_efron_cluster_id = cox_ref(f_sim, sim, "id"),
    cox_breslow = cox_ref(f_sim, sim, ties = "breslow"),
    cox_efron_strata = pack(coef(fs <- coxph(Surv(start, stop, event) ~ x1 + x2 + strata(x1 > 0 | cid > 12),
                                              sim, control = cctrl)), vcov(fs),
                            list(llf = fs$loglik[2])),
    survreg_weibull = survreg_ref(Surv(time, event) ~ x1 + x2, subj),
    survreg_weibull_cluster = survreg_ref(Surv(time, event) ~ x1 + x2, subj, "cid"),
    weibull_truncated = weibull_trunc_ref(~ x1 + x2, sim, "start", "stop", "event")
  )
)
cat(sprintf("simulated: %d rows, %d subjects, %d events\n", nrow(sim), nrow(subj), sum(sim$event)))

panel <- Sys.getenv("FOEDUS_SURVIVAL_PANEL")
if (nzchar(panel)) {
  d <- read.csv(panel)
  meta <- read.delim(paste0(panel, ".models.tsv"), header = FALSE, col.names = c("name", "rhs"),
                     stringsAsFactors = FALSE)
  real <- list()
  for (m in seq_len(nrow(meta))) {
    name <- meta$name[m]
    rhs <- meta$rhs[m]
    f <- as.formula(paste("Surv(start, stop, ended) ~", rhs))
    dm <- d[complete.cases(d[, all.vars(f)]), ]
    real[[name]] <- list(
      cox_efron = cox_ref(f, dm),
      cox_efron_cluster = cox_ref(f, dm, "atopid"),
      weibull_truncated = weibull_trunc_ref(as.formula(paste("~", rhs)), dm, "start", "stop", "ended")
    )
  }
  out$real <- real
  cat(sprintf("real: %d alliance-years, %d alliances, %d terminations\n", nrow(d),
              length(unique(d$atopid)), sum(d$ended)))
}

writeLines(to_json(out), "survival_reference.json")
