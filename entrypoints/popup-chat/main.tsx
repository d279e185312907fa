import { mountChatPage } from '@/components/chat-page';

mountChatPage('popup');
