import DefaultTheme from 'vitepress/theme';
import './wide-content.css';

// The default theme with a wider reading column: the docs hold code and measured tables that need the width.
export default DefaultTheme;
