export { configSchema, ConfigError, loadConfig, type Config } from './config';
export { activationLink, totpResetLink } from './public-links';
export { runService } from './run-service';
