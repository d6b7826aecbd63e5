import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { installBridgeIfNeeded } from './dev-bridge/install-bridge';
import { App } from './App';
import './styles/theme.css';
import './styles/base.css';
import './styles/panes.css';
import './styles/bottom.css';
import './styles/dialogs.css';

await installBridgeIfNeeded();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
