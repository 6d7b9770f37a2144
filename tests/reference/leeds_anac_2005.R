# Reference fit of Leeds & Anac (2005) with R's glm: the authors' logit and robustness checks on
# their replication file, classical and alliance-clustered (sandwich::vcovCL, HC0 with the
# G/(G-1) adjustment, as Stata's logit) standard errors. Writes leeds_anac_2005.csv (one row per
# model and coefficient, 15 significant digits).
# Run: `make reference` (needs R with foreign and sandwich, and FOEDUS_DATA_DIR).
library(foreign)
library(sandwich)

raw_dir <- Sys.getenv("FOEDUS_DATA_DIR")
if (raw_dir == "") stop("set FOEDUS_DATA_DIR to the folder of the raw releases")
d <- read.dta(file.path(raw_dir, "leeds-anac-2005-rep", "LeedsAnacIIrep.dta"))

base <- "milinst + formal + chcap2d + dinstch2 + origtar1"
models <- list(
  main = list(f = paste("honor3 ~", base), rows = rep(TRUE, nrow(d))),
  honor2 = list(f = paste("honor2 ~", base), rows = rep(TRUE, nrow(d))),
  chalcapd = list(f = paste("honor3 ~", sub("chcap2d", "chalcapd", base)), rows = rep(TRUE, nrow(d))),
  chcp2d20 = list(f = paste("honor3 ~", sub("chcap2d", "chcp2d20", base)), rows = rep(TRUE, nrow(d))),
  peacetime = list(f = paste("honor3 ~", base), rows = d$wartime == 0),
  active = list(f = paste("honor3 ~", base), rows = d$active == 1),
  bilat = list(f = paste("honor3 ~", base, "+ bilat"), rows = rep(TRUE, nrow(d)))
)

out <- NULL
for (name in names(models)) {
  m <- models[[name]]
  sub <- d[m$rows, ]
  fit <- glm(as.formula(m$f), family = binomial(link = "logit"), data = sub,
             control = glm.control(epsilon = 1e-14, maxit = 100))
  vc <- vcovCL(fit, cluster = ~atopid, type = "HC0", cadjust = TRUE)
  names_ <- sub("\\(Intercept\\)", "Intercept", names(coef(fit)))
  out <- rbind(out, data.frame(
    model = name, variable = names_, estimate = unname(coef(fit)), se = unname(sqrt(diag(vcov(fit)))),
    se_cluster_atopid = unname(sqrt(diag(vc))), nobs = nrow(sub), llf = as.numeric(logLik(fit))))
}
num <- sapply(out, is.numeric)
out[num] <- lapply(out[num], function(x) trimws(formatC(x, digits = 15, format = "g")))
write.csv(out, "leeds_anac_2005.csv", row.names = FALSE, quote = FALSE)
