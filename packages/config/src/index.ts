export { configSchema, ConfigError, loadConfig, type Config } from './config';
export { activationLink, totpResetLink } from './public-links';
export { runService } from './run-service';
export { applyEnvFile, envFilePath, readEnvFile } from './env-file';
export { productionRefusals, ProductionRefusal } from './production';
