# Reference numbers for foedus.models.ols from R (lm, sandwich::vcovHC), on Tomz & Weeks (2021)
# Study 1.
#
# Run from this folder:  FOEDUS_TOMZ_WEEKS_RAW=/path/tomz_weeks_raw.csv Rscript make_reference_ols.R
# (or `make reference` at the top). Needs R with sandwich (base R otherwise; no jsonlite).
#
# Input: the raw codes of 2017-04-YouGov-extracted.dta as CSV (tomz_weeks_raw.py). The
# preparation of the authors' 2017-04-YouGov-prepdata.do and the rescaling of
# 2017-04-YouGov-mainfx.do are written here again in R, independently of foedus' port.
# Output: ols_reference.json (17 significant digits): per model the coefficients, the classical
# (lm) and HC1 covariances, the log-likelihood, R-squared and n.

suppressPackageStartupMessages(library(sandwich))

raw <- read.csv(Sys.getenv("FOEDUS_TOMZ_WEEKS_RAW", "../../build/reference/tomz_weeks_raw.csv"))
d <- data.frame(
  ally = raw$alliance - 1, dem = raw$regime - 1, ints = 2 - raw$stakes, cost = raw$costs - 1,
  africa = as.numeric(raw$region == 1), asia = as.numeric(raw$region == 2),
  eeurope = as.numeric(raw$region == 3),                  # ib4.region: South America is the base
  strike2 = ifelse(raw$pref >= 4, 100, 0), strike5 = raw$pref - 1,
  hawk = ((6 - raw$hawk) - 1) / 4, intl = (raw$intl - 1) / 4,
  pid7 = (ifelse(raw$pid7 == 8, 4, raw$pid7) - 1) / 6,
  nat = ((raw$nat1 + raw$nat2) / 2 - 1) / 4,
  male = as.numeric(raw$gender == 1), white = as.numeric(raw$race == 1),
  age = (2016 - raw$birthyr) / 100,
  ed4 = (c(1, 1, 2, 2, 3, 4)[raw$educ] - 1) / 3,
  weight = raw$weight
)

controls <- "hawk + intl + pid7 + nat + male + white + age + ed4"
treat <- "ally + dem + ints + cost + africa + asia + eeurope"
models <- list(
  dim_strike2 = list(f = "strike2 ~ ally", w = FALSE),
  full_strike2 = list(f = paste("strike2 ~", treat, "+", controls), w = FALSE),
  full_strike2_w = list(f = paste("strike2 ~", treat, "+", controls), w = TRUE),
  full_strike5 = list(f = paste("strike5 ~", treat, "+", controls), w = FALSE),
  full_strike5_w = list(f = paste("strike5 ~", treat, "+", controls), w = TRUE)
)

num <- function(x) paste0("[", paste(sprintf("%.17g", x), collapse = ", "), "]")
mat <- function(m) paste0("[", paste(apply(m, 1, num), collapse = ", "), "]")
entries <- character()
for (name in names(models)) {
  spec <- models[[name]]
  fit <- if (spec$w) lm(as.formula(spec$f), data = d, weights = weight) else lm(as.formula(spec$f), data = d)
  names_b <- sub("^\\(Intercept\\)$", "Intercept", names(coef(fit)))
  entries <- c(entries, sprintf(
    paste0('"%s": {"formula": "%s", "weights": %s, "names": [%s], "params": %s, ',
           '"cov_classical": %s, "cov_HC1": %s, "llf": %.17g, "rsquared": %.17g, "nobs": %d}'),
    name, spec$f, if (spec$w) '"weight"' else "null",
    paste0('"', names_b, '"', collapse = ", "), num(coef(fit)), mat(vcov(fit)),
    mat(vcovHC(fit, type = "HC1")), as.numeric(logLik(fit)), summary(fit)$r.squared, nobs(fit)))
}
writeLines(c("{", paste(entries, collapse = ",\n"), "}"), "ols_reference.json")
cat("wrote ols_reference.json:", length(entries), "models\n")
